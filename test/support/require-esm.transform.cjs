/**
 * Node ≥ 20.19 lets CommonJS `require()` an ES module, and production relies on it (a few CommonJS
 * dependencies of Fastify require ESM-only packages). Jest's CommonJS loader does the same only from
 * Node 24.9; on older Node this transform turns those ESM-only packages into CommonJS when, and only when,
 * Jest loads them for a `require()`. Imported as ES modules, they pass through untouched.
 */
const ts = require('typescript');

module.exports = {
  process(source, filename, options) {
    if (options.supportsStaticESM) return { code: source };
    const { outputText, sourceMapText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        allowJs: true,
        esModuleInterop: true,
        sourceMap: true,
      },
    });
    return { code: outputText, map: sourceMapText };
  },
};
