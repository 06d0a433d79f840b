import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

/**
 * The owner dashboard. Builds into hosting/dist, the folder firebase.json's
 * hosting.public serves (the Hosting emulator locally). Static files
 * (manifest, icons) come from hosting/static.
 */
const shared = fileURLToPath(new URL("./shared/src", import.meta.url));

/**
 * Writes sw.js with the list of files this build emitted, so the service
 * worker can cache the whole shell when it installs (see src/sw-template.ts).
 */
function serviceWorker(): Plugin {
  return {
    name: "dashboard-service-worker",
    apply: "build",
    async generateBundle(_options, bundle) {
      const files = Object.keys(bundle).map((f) => `/${f}`);
      const fs = await import("node:fs");
      const template = fs.readFileSync(new URL("./src/sw-template.js", import.meta.url), "utf8");
      const version = String(files.length) + "-" + hash(files.sort().join("|"));
      const shell = [
        "/",
        "/manifest.webmanifest",
        "/icons/icon-192.png",
        "/icons/icon.svg",
        ...files,
      ];
      this.emitFile({
        type: "asset",
        fileName: "sw.js",
        source: template
          .replace("__SHELL_FILES__", JSON.stringify(shell))
          .replace("__VERSION__", version),
      });
    },
  };
}

function hash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

export default defineConfig({
  plugins: [preact(), serviceWorker()],
  publicDir: "static",
  resolve: { alias: { "@shared": shared } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
  },
});
