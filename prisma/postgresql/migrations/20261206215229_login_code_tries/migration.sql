-- AlterTable
ALTER TABLE "LoginChallenge" ADD COLUMN     "codeTries" INTEGER NOT NULL DEFAULT 0;
