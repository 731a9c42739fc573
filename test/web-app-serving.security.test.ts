import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.destroy());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(path: string, accept = "text/html"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    https
      .get(`${hub.url}${path}`, { ca: hub.ca, headers: { accept } }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      })
      .on("error", reject);
  });
}

const directives = (answer: Answer) => new Map(String(answer.headers["content-security-policy"]).split(";").map((part) => {
  const [name = "", ...values] = part.trim().split(/\s+/);
  return [name, values.join(" ")] as const;
}));

describe("the hub serving the web interface", () => {
  it("answers the app's routes with index.html under a strict Content-Security-Policy and no framing", async () => {
    for (const path of ["/", "/login", "/signup", "/reset-password"]) {
      const answer = await get(path);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('<div id="root"></div>');
      expect(answer.headers["cache-control"]).toBe("no-cache");
      expect(answer.headers["x-frame-options"]).toBe("DENY");
      const csp = directives(answer);
      expect(csp.get("default-src")).toBe("'self'");
      expect(csp.get("script-src")).toBe("'self'");
      expect(csp.get("style-src")).toBe("'self'");
      expect(csp.get("img-src")).toBe("'self' data:");
      expect(csp.get("connect-src")).toBe("'self'");
      expect(csp.get("frame-ancestors")).toBe("'none'");
      expect(csp.get("form-action")).toBe("'self'");
      expect(csp.get("base-uri")).toBe("'none'");
    }
  });

  it("has no inline script in its page and loads nothing from another origin", async () => {
    const { body } = await get("/");
    for (const script of body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
      expect(script[0]).toMatch(/src="\/assets\//);
      expect(script[1]).toBe("");
    }
    expect(body).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("caches the hashed assets for a year and answers a missing one with 404", async () => {
    const { body } = await get("/");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(body)?.[1];
    expect(script).toBeDefined();
    const asset = await get(script!, "*/*");
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await get("/assets/nothing-here.js", "*/*")).status).toBe(404);
  });

  it("keeps the API's JSON answers and their deny-everything policy", async () => {
    const answer = await get("/api/no-such-route", "application/json");
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(directives(answer).get("default-src")).toBe("'none'");
  });
});
