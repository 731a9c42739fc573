-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'pairgate',
ADD COLUMN     "lastTimeStep" INTEGER,
ALTER COLUMN "tokenHash" DROP NOT NULL;

-- CreateTable
CREATE TABLE "StandardEnrolment" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sealedSecret" TEXT NOT NULL,
    "codeTries" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StandardEnrolment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StandardEnrolment_userId_idx" ON "StandardEnrolment"("userId");

-- CreateIndex
CREATE INDEX "StandardEnrolment_sessionId_idx" ON "StandardEnrolment"("sessionId");

-- CreateIndex
CREATE INDEX "StandardEnrolment_expiresAt_idx" ON "StandardEnrolment"("expiresAt");

-- AddForeignKey
ALTER TABLE "StandardEnrolment" ADD CONSTRAINT "StandardEnrolment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StandardEnrolment" ADD CONSTRAINT "StandardEnrolment_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
