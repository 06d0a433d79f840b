/** Dependencies point one way: triggers -> app -> domain; adapters implement ports. */
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "domain/ holds pure logic: no SDKs, no network, no other layer",
      severity: "error",
      from: { path: "^src/domain" },
      to: {
        // Pure computation libraries only (see docs/decisions.md).
        pathNot: [
          "^src/domain",
          "node_modules/(luxon|zod|fastest-levenshtein|libphonenumber-js)/",
          "^(luxon|zod|fastest-levenshtein|libphonenumber-js)$",
          "^libphonenumber-js/max$",
        ],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "domain-no-node-io",
      severity: "error",
      from: { path: "^src/domain" },
      to: { dependencyTypes: ["core"], path: "^(fs|http|https|net|child_process|node:)" },
    },
    {
      name: "app-uses-ports-not-adapters",
      comment: "use cases take their ports as parameters",
      severity: "error",
      from: { path: "^src/app" },
      to: { path: "^src/(adapters|triggers|bootstrap|params)|node_modules/(firebase-|twilio|googleapis|@anthropic-ai|@google-cloud)" },
    },
    {
      name: "ports-are-interfaces",
      severity: "error",
      from: { path: "^src/ports" },
      to: { pathNot: ["^src/(ports|domain)"] },
    },
    {
      name: "adapters-do-not-call-use-cases",
      severity: "error",
      from: { path: "^src/adapters" },
      to: { path: "^src/(app|triggers|bootstrap)" },
    },
    {
      name: "no-circular",
      comment: "no module needs itself at run time (a cycle through a type-only import is erased by the compiler)",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
