/*
  Warnings:

  - You are about to drop the column `numberMatchOptions` on the `LoginChallenge` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "LoginChallenge" DROP COLUMN "numberMatchOptions",
ADD COLUMN     "keyFingerprint" TEXT,
ADD COLUMN     "newKey" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "pushesHeldUntil" TIMESTAMP(3);
