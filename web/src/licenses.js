// Prints the name, version, licence and copyright notice of every package bundled into
// server/static/vendor/editor.js (run by `npm run build`).
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..", "node_modules");
const seen = [];
function visit(dir) {
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (name.startsWith("@")) { visit(full); continue; }
    const manifest = path.join(full, "package.json");
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, "utf8"));
    if (pkg.name === "esbuild" || pkg.name.startsWith("@esbuild/")) continue; // build tool only
    const licence = fs.readdirSync(full).find((f) => /^licen[cs]e/i.test(f));
    seen.push(`${pkg.name} ${pkg.version} (${pkg.license})\n` +
      (licence ? fs.readFileSync(path.join(full, licence), "utf8").trim() : ""));
  }
}
visit(root);
console.log("Packages bundled into editor.js (built from web/ with esbuild):\n");
console.log(seen.sort().join("\n\n" + "-".repeat(72) + "\n\n"));
