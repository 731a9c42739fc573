-- CreateIndex
CREATE INDEX "BindingCode_expiresAt_idx" ON "BindingCode"("expiresAt");

-- CreateIndex
CREATE INDEX "BindingCode_sessionId_idx" ON "BindingCode"("sessionId");

-- CreateIndex
CREATE INDEX "EmailCode_expiresAt_idx" ON "EmailCode"("expiresAt");

-- CreateIndex
CREATE INDEX "LoginChallenge_expiresAt_idx" ON "LoginChallenge"("expiresAt");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "Session"("expiresAt");

-- CreateIndex
CREATE INDEX "Session_lastSeenAt_idx" ON "Session"("lastSeenAt");
