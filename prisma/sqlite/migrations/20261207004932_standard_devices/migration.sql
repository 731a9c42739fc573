-- CreateTable
CREATE TABLE "StandardEnrolment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sealedSecret" TEXT NOT NULL,
    "codeTries" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "StandardEnrolment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "StandardEnrolment_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Device" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'pairgate',
    "tokenHash" TEXT,
    "sealedSecret" TEXT NOT NULL,
    "counter" INTEGER NOT NULL DEFAULT 0,
    "resyncCounter" INTEGER,
    "lastTimeStep" INTEGER,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "Device_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Device" ("counter", "createdAt", "failedAttempts", "id", "lastUsedAt", "lockedUntil", "name", "resyncCounter", "sealedSecret", "tokenHash", "userId") SELECT "counter", "createdAt", "failedAttempts", "id", "lastUsedAt", "lockedUntil", "name", "resyncCounter", "sealedSecret", "tokenHash", "userId" FROM "Device";
DROP TABLE "Device";
ALTER TABLE "new_Device" RENAME TO "Device";
CREATE UNIQUE INDEX "Device_tokenHash_key" ON "Device"("tokenHash");
CREATE INDEX "Device_userId_idx" ON "Device"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "StandardEnrolment_userId_idx" ON "StandardEnrolment"("userId");

-- CreateIndex
CREATE INDEX "StandardEnrolment_sessionId_idx" ON "StandardEnrolment"("sessionId");

-- CreateIndex
CREATE INDEX "StandardEnrolment_expiresAt_idx" ON "StandardEnrolment"("expiresAt");
