-- CreateTable
CREATE TABLE "WaitingMessage" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sentAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "WaitingMessage_recipientId_fkey" FOREIGN KEY ("recipientId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "WaitingMessage_messageId_key" ON "WaitingMessage"("messageId");

-- CreateIndex
CREATE INDEX "WaitingMessage_recipientId_idx" ON "WaitingMessage"("recipientId");

-- CreateIndex
CREATE INDEX "WaitingMessage_expiresAt_idx" ON "WaitingMessage"("expiresAt");
