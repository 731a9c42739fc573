-- AlterTable
ALTER TABLE "LoginChallenge" ADD COLUMN "approvedAt" DATETIME;
ALTER TABLE "LoginChallenge" ADD COLUMN "approvedByDeviceId" TEXT;
ALTER TABLE "LoginChallenge" ADD COLUMN "clientName" TEXT;
ALTER TABLE "LoginChallenge" ADD COLUMN "deniedAt" DATETIME;
ALTER TABLE "LoginChallenge" ADD COLUMN "numberMatch" TEXT;
ALTER TABLE "LoginChallenge" ADD COLUMN "numberMatchOptions" TEXT;

-- CreateTable
CREATE TABLE "Device" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "sealedSecret" TEXT NOT NULL,
    "counter" INTEGER NOT NULL DEFAULT 0,
    "resyncCounter" INTEGER,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "Device_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BindingCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "deviceName" TEXT,
    "sessionId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "BindingCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Device_tokenHash_key" ON "Device"("tokenHash");

-- CreateIndex
CREATE INDEX "Device_userId_idx" ON "Device"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "BindingCode_codeHash_key" ON "BindingCode"("codeHash");

-- CreateIndex
CREATE INDEX "BindingCode_userId_idx" ON "BindingCode"("userId");
