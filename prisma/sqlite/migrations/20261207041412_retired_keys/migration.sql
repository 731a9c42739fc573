-- CreateTable
CREATE TABLE "RetiredKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sealedKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RecoveryCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "usedAt" DATETIME,
    "retiredKeyId" TEXT,
    CONSTRAINT "RecoveryCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RecoveryCode_retiredKeyId_fkey" FOREIGN KEY ("retiredKeyId") REFERENCES "RetiredKey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RecoveryCode" ("codeHash", "createdAt", "id", "usedAt", "userId") SELECT "codeHash", "createdAt", "id", "usedAt", "userId" FROM "RecoveryCode";
DROP TABLE "RecoveryCode";
ALTER TABLE "new_RecoveryCode" RENAME TO "RecoveryCode";
CREATE UNIQUE INDEX "RecoveryCode_codeHash_key" ON "RecoveryCode"("codeHash");
CREATE INDEX "RecoveryCode_userId_idx" ON "RecoveryCode"("userId");
CREATE INDEX "RecoveryCode_retiredKeyId_idx" ON "RecoveryCode"("retiredKeyId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
