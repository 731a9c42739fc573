/*
  Warnings:

  - You are about to drop the column `numberMatchOptions` on the `LoginChallenge` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "User" ADD COLUMN "pushesHeldUntil" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LoginChallenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "address" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "clientName" TEXT,
    "numberMatch" TEXT,
    "keyFingerprint" TEXT,
    "newKey" BOOLEAN NOT NULL DEFAULT false,
    "approvedAt" DATETIME,
    "approvedByDeviceId" TEXT,
    "deniedAt" DATETIME,
    "codeTries" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "LoginChallenge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_LoginChallenge" ("address", "approvedAt", "approvedByDeviceId", "clientName", "codeTries", "createdAt", "deniedAt", "expiresAt", "id", "nonce", "numberMatch", "usedAt", "userId") SELECT "address", "approvedAt", "approvedByDeviceId", "clientName", "codeTries", "createdAt", "deniedAt", "expiresAt", "id", "nonce", "numberMatch", "usedAt", "userId" FROM "LoginChallenge";
DROP TABLE "LoginChallenge";
ALTER TABLE "new_LoginChallenge" RENAME TO "LoginChallenge";
CREATE INDEX "LoginChallenge_userId_idx" ON "LoginChallenge"("userId");
CREATE INDEX "LoginChallenge_expiresAt_idx" ON "LoginChallenge"("expiresAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
