-- CreateTable
CREATE TABLE "WaitingMessage" (
    "seq" SERIAL NOT NULL,
    "messageId" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WaitingMessage_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "WaitingMessage_messageId_key" ON "WaitingMessage"("messageId");

-- CreateIndex
CREATE INDEX "WaitingMessage_recipientId_idx" ON "WaitingMessage"("recipientId");

-- CreateIndex
CREATE INDEX "WaitingMessage_expiresAt_idx" ON "WaitingMessage"("expiresAt");

-- AddForeignKey
ALTER TABLE "WaitingMessage" ADD CONSTRAINT "WaitingMessage_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
