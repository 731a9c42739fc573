/**
 * Import rules checked by `npm run lint:imports` (part of `npm test`).
 * They keep the layout's promises: the protocol stands alone, the programs share nothing but it,
 * domain code never reaches for a transport, and no two files lean on each other.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      comment: "Files that import each other cannot be read, tested or moved one at a time.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "domain-not-transport",
      comment:
        "Domain code is called by the transports, never the other way round; only the hub wiring " +
        "(server/hub.ts, server/main.ts) puts the two together.",
      severity: "error",
      from: { path: "^server/", pathNot: ["^server/transport/", "^server/(hub|main)\\.ts$"] },
      to: { path: "^server/transport/" },
    },
    {
      name: "transports-apart",
      comment:
        "The Socket.IO and HTTP transports are peers over the same domain; what both need lives " +
        "in server/transport/ itself.",
      severity: "error",
      from: { path: "^server/transport/(socket|http)/" },
      to: { path: "^server/transport/(socket|http)/", pathNot: "^server/transport/$1/" },
    },
    {
      name: "hub-wiring-on-top",
      comment: "Nothing in the hub leans on the files that assemble it.",
      severity: "error",
      from: { path: "^server/", pathNot: "^server/(hub|main)\\.ts$|\\.test\\.tsx?$" },
      to: { path: "^server/(hub|main)\\.ts$" },
    },
    {
      name: "client-not-hub",
      comment: "The terminal programs talk to the hub over the protocol, never through its code.",
      severity: "error",
      from: { path: "^(cli-client|device-app|terminal|web)/" },
      to: { path: "^server/" },
    },
    {
      name: "hub-not-scripts",
      comment: "scripts/ is tooling around the hub; the hub itself must run without it.",
      severity: "error",
      from: { path: "^server/" },
      to: { path: "^scripts/" },
    },
    {
      name: "hub-stays-home",
      comment: "Outside its own folder the hub uses only what every program shares: the protocol, the HOTP module and common/ (password policy, path sentences).",
      severity: "error",
      from: { path: "^server/", pathNot: "\\.test\\.tsx?$" },
      to: {
        path: "^[^/]+/",
        dependencyTypesNot: ["core"],
        pathNot: ["^server/", "^protocol/", "^otp/", "^common/", "^node_modules/"],
      },
    },
    {
      name: "product-not-tests",
      comment: "Program code never imports test helpers; they live under test/.",
      severity: "error",
      from: {
        path: "^(server|protocol|otp|common|cli-client|device-app|terminal|web)/",
        pathNot: "\\.test\\.tsx?$",
      },
      to: { path: "^test/|\\.test\\.tsx?$" },
    },
    {
      name: "protocol-alone",
      comment: "The protocol is public API: it depends on itself and zod, nothing else.",
      severity: "error",
      from: { path: "^protocol/", pathNot: "\\.test\\.tsx?$" },
      to: { pathNot: ["^protocol/", "^node_modules/zod/"] },
    },
    {
      name: "otp-pure",
      comment: "The OTP modules are pure and shared by the hub and the authenticator: otplib and Node only.",
      severity: "error",
      from: { path: "^otp/", pathNot: "\\.test\\.tsx?$" },
      to: { dependencyTypesNot: ["core"], pathNot: ["^otp/", "^node_modules/otplib/"] },
    },
    {
      name: "web-in-the-browser",
      comment:
        "The browser app talks to the hub over the protocol only: it may import its own files, the " +
        "protocol, the password rules (so reasons show as you type), and browser packages; never the " +
        "hub, the terminal programs, Node built-ins or test helpers.",
      severity: "error",
      from: { path: "^web/src/" },
      to: {
        pathNot: [
          "^web/src/",
          "^protocol/",
          "^common/password-rules\\.ts$",
          "^node_modules/(react|react-dom|scheduler|socket\\.io-client|engine\\.io-client|engine\\.io-parser|socket\\.io-parser|@socket\\.io/component-emitter|debug|ms|qrcode|dijkstrajs|xmlhttprequest-ssl|ws|zod|@zxcvbn-ts)/",
        ],
      },
    },
    {
      name: "web-node-free",
      comment: "Nothing the browser bundle reaches may need Node itself.",
      severity: "error",
      from: { path: "^web/src/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "resolvable",
      comment: "An import that cannot be resolved is a typo or a missing package.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "^node_modules/" },
    exclude: { path: "^server/db/generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // `#protocol` is a package.json subpath import; these let the resolver read the `imports` field
    // the way Node and TypeScript do.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mjs", ".js", ".cjs", ".json", ".d.ts"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
