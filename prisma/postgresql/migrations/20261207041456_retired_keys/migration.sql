-- AlterTable
ALTER TABLE "RecoveryCode" ADD COLUMN     "retiredKeyId" TEXT;

-- CreateTable
CREATE TABLE "RetiredKey" (
    "id" TEXT NOT NULL,
    "sealedKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RetiredKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecoveryCode_retiredKeyId_idx" ON "RecoveryCode"("retiredKeyId");

-- AddForeignKey
ALTER TABLE "RecoveryCode" ADD CONSTRAINT "RecoveryCode_retiredKeyId_fkey" FOREIGN KEY ("retiredKeyId") REFERENCES "RetiredKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
