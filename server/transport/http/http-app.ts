import express, { type Express } from "express";
import type { HubContext } from "../../context.ts";
import { HUB_VERSION } from "../../version.ts";

export function createHttpApp(ctx: HubContext): Express {
  const app = express();
  app.disable("x-powered-by");

  app.get("/api/health", async (_request, response) => {
    const databaseReachable = await isDatabaseReachable(ctx);
    response.status(databaseReachable ? 200 : 503).json({
      status: databaseReachable ? "ok" : "degraded",
      version: HUB_VERSION,
      database: { reachable: databaseReachable },
    });
  });

  app.use((_request, response) => {
    response.status(404).json({ ok: false, error: { code: "not_found", message: "No such endpoint." } });
  });
  return app;
}

async function isDatabaseReachable(ctx: HubContext): Promise<boolean> {
  try {
    await ctx.db.$queryRaw`SELECT 1`;
    return true;
  } catch (error) {
    ctx.log.warn({ err: error }, "database health check failed");
    return false;
  }
}
