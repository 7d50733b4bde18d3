import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layout's promises, checked on the import graph of src/ and the web app (specs left out): no import
 * cycle between files or between folders, a pure domain, generic machinery that knows no feature (neither
 * by import nor by naming its error codes), and a web app that takes from the server only the pure domain.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');

interface SourceFile {
  readonly file: string;
  readonly folder: string;
  /** Project files it imports (relative specifiers, resolved). */
  readonly imports: readonly string[];
  /** Package names it imports. */
  readonly packages: readonly string[];
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.spec\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** A relative specifier as the file it names: `./x.js` is `x.ts`, or `x.tsx` in the web app. */
function resolveImport(file: string, specifier: string): string {
  const target = path.resolve(path.dirname(file), specifier);
  const typescript = target.replace(/\.js$/, '.ts');
  return fs.existsSync(typescript) ? typescript : target.replace(/\.js$/, '.tsx');
}

function parse(file: string): SourceFile {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  const imports: string[] = [];
  const packages: string[] = [];
  for (const { fileName } of importedFiles) {
    if (fileName.startsWith('.')) {
      imports.push(resolveImport(file, fileName));
    } else if (!fileName.startsWith('node:')) {
      packages.push(
        fileName.startsWith('@') ? fileName.split('/').slice(0, 2).join('/') : fileName.split('/')[0],
      );
    }
  }
  return { file, folder: path.dirname(file), imports, packages };
}

const files = sourceFiles(SRC).map(parse);
const relative = (file: string) => path.relative(ROOT, file);

/** A cycle in the graph, as a list of nodes, or null. */
function findCycle(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'visiting') return [...trail.slice(trail.indexOf(node)), node];
    state.set(node, 'visiting');
    trail.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

function graph(edgeOf: (from: SourceFile, to: string) => [string, string] | null): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of files) {
    for (const target of file.imports) {
      const edge = edgeOf(file, target);
      if (!edge || edge[0] === edge[1]) continue;
      const targets = edges.get(edge[0]) ?? new Set<string>();
      targets.add(edge[1]);
      edges.set(edge[0], targets);
    }
  }
  return edges;
}

/**
 * The machinery every feature stands on; it knows no feature. `auth` is here: its guard and role
 * decorators are used by every controller, the projections' admin routes included.
 */
const GENERIC = ['event-store', 'projections', 'http', 'database', 'config', 'logging', 'auth'];
const FEATURES = ['commitments', 'sources', 'seed', 'events-feed', 'imports', 'log-transfer'];

const isIn = (file: string, folder: string) => file.startsWith(path.join(SRC, folder) + path.sep);

/** The text of every string literal and template part of a file (comments are not strings). */
function stringLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const texts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) texts.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

interface DeclaredError {
  /** The top folder of src/ that declares it. */
  readonly folder: string;
  readonly className: string;
  /** Its code's family (`COMMITMENT.`), when the class gives its code. */
  readonly family?: string;
}

/** Every class of src/ with a `code` (the errors with a stable code, and their abstract bases). */
const declaredErrors: readonly DeclaredError[] = files.flatMap(({ file }) => {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const folder = path.relative(SRC, file).split(path.sep)[0];
  return source.statements.filter(ts.isClassDeclaration).flatMap((declaration) => {
    const code = declaration.members.find(
      (member): member is ts.PropertyDeclaration =>
        ts.isPropertyDeclaration(member) && member.name.getText(source) === 'code',
    );
    if (!code || !declaration.name) return [];
    const family =
      code.initializer && ts.isStringLiteralLike(code.initializer)
        ? `${code.initializer.text.split('.')[0]}.`
        : undefined;
    return [{ folder, className: declaration.name.text, family }];
  });
});

/**
 * The error code families and error class names of other folders that `text`, a string of a file in
 * `owner`, names. HTTP maps the event store's codes itself, the store knowing no HTTP; a feature
 * registers its own (`registerProblemTypes`).
 */
function namedErrors(text: string, owner: string): string[] {
  const foreign = declaredErrors.filter(
    (error) => error.folder !== owner && !(owner === 'http' && error.folder === 'event-store'),
  );
  const families = new Set(foreign.flatMap((error) => (error.family ? [error.family] : [])));
  return [
    ...[...families].filter((family) => new RegExp(`(^|[^A-Z_])${family.replace('.', '\\.')}`).test(text)),
    ...foreign.map((error) => error.className).filter((name) => new RegExp(`\\b${name}\\b`).test(text)),
  ];
}

describe('the import graph of src/', () => {
  it('parses a sizeable graph (the check itself works)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(
      findCycle(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['a'])],
        ]),
      ),
    ).toEqual(['a', 'b', 'a']);
  });

  it('has no import cycle between files', () => {
    expect(findCycle(graph((from, to) => [relative(from.file), relative(to)]))).toBeNull();
  });

  it('has no import cycle between folders', () => {
    expect(findCycle(graph((from, to) => [relative(from.folder), relative(path.dirname(to))]))).toBeNull();
  });

  it('keeps the commitment domain pure: no framework, no database, nothing outside the domain', () => {
    const domain = path.join(SRC, 'commitments', 'domain');
    // The domain's own sub-folders (shared/ and one per family) count as the domain.
    const impure = files
      .filter((file) => file.folder === domain || file.folder.startsWith(domain + path.sep))
      .flatMap((file) => [
        ...file.packages.map((name) => `${relative(file.file)} imports ${name}`),
        ...file.imports
          .filter((target) => !target.startsWith(domain + path.sep))
          .map((target) => `${relative(file.file)} imports ${relative(target)}`),
      ]);
    expect(impure).toEqual([]);
  });

  it('keeps the import an adapter of the commitments’ writer: nothing of their domain, read models or streams', () => {
    const imports = path.join(SRC, 'imports');
    const internals = ['domain', 'read-models', 'stream'].map((room) => path.join(SRC, 'commitments', room));
    const leaks = files
      .filter((file) => file.folder.startsWith(imports))
      .flatMap((file) =>
        file.imports
          .filter((target) => internals.some((room) => target.startsWith(room + path.sep)))
          .map((target) => `${relative(file.file)} imports ${relative(target)}`),
      );
    expect(files.some((file) => file.folder.startsWith(imports))).toBe(true);
    expect(leaks).toEqual([]);
  });

  it("keeps the domain's rooms layered: shared/ below the families, the families below the root files", () => {
    const domain = path.join(SRC, 'commitments', 'domain');
    const shared = path.join(domain, 'shared');
    const inside = (folder: string, target: string) => target.startsWith(folder + path.sep);
    const crossings = files
      .filter((file) => inside(domain, file.file) && file.folder !== domain)
      .flatMap((file) =>
        file.imports
          .filter((target) =>
            inside(shared, file.file)
              ? !inside(shared, target)
              : path.dirname(target) === domain || !inside(domain, target),
          )
          .map((target) => `${relative(file.file)} imports ${relative(target)}`),
      );
    expect(files.some((file) => file.folder === shared)).toBe(true);
    expect(crossings).toEqual([]);
  });

  it('keeps the generic machinery free of features: it imports none', () => {
    const leaks = files
      .filter((file) => GENERIC.some((folder) => isIn(file.file, folder)))
      .flatMap((file) =>
        file.imports
          .filter((target) => FEATURES.some((folder) => isIn(target, folder)))
          .map((target) => `${relative(file.file)} imports ${relative(target)}`),
      );
    expect(leaks).toEqual([]);
  });

  it('finds the error codes and error classes each folder declares (the check below works)', () => {
    const families = new Set(declaredErrors.map((error) => error.family));
    for (const family of ['COMMITMENT.', 'SOURCE.', 'API_KEYS.', 'EVENT_STORE.']) {
      expect(families).toContain(family);
    }
    const notFound = declaredErrors.find((error) => error.className === 'CommitmentNotFoundError');
    expect(notFound).toMatchObject({ folder: 'commitments', family: 'COMMITMENT.' });
    expect(namedErrors(`if (error.code === 'COMMITMENT.NOT_FOUND') return 404;`, 'http')).toEqual([
      'COMMITMENT.',
    ]);
    expect(namedErrors(`error.name === "CommitmentNotFoundError"`, 'http')).toEqual([
      'CommitmentNotFoundError',
    ]);
    expect(namedErrors(`'EVENT_STORE.CONCURRENCY'`, 'http')).toEqual([]);
    expect(namedErrors(`'EVENT_STORE.CONCURRENCY'`, 'projections')).toEqual(['EVENT_STORE.']);
  });

  it('keeps the generic machinery free of features: no string names an error code or class of another folder', () => {
    const leaks = files
      .filter((file) => GENERIC.some((folder) => isIn(file.file, folder)))
      .flatMap((file) => {
        const owner = path.relative(SRC, file.file).split(path.sep)[0];
        return stringLiterals(file.file).flatMap((text) =>
          namedErrors(text, owner).map(
            (name) => `${relative(file.file)} names ${name} in ${JSON.stringify(text)}`,
          ),
        );
      });
    expect(leaks).toEqual([]);
  });

  it('keeps the web app to its own files and dependency-free server modules: no framework, no server package', () => {
    const web = path.join(SRC, 'web');
    const serverPackages = new Set(
      files.filter((file) => !isIn(file.file, 'web')).flatMap((file) => file.packages),
    );
    const byPath = new Map(files.map((file) => [file.file, file]));
    // A server module the browser may share: it imports no package, and only modules of the same kind
    // (the pure domain, the developments' descriptions, the shapes of the answers).
    const dependencyFree = (file: string, seen = new Set<string>()): boolean => {
      if (seen.has(file)) return true;
      seen.add(file);
      const parsed = byPath.get(file);
      return (
        parsed !== undefined &&
        parsed.packages.length === 0 &&
        parsed.imports.every((target) => dependencyFree(target, seen))
      );
    };
    const webFiles = files.filter((file) => isIn(file.file, 'web'));
    expect(webFiles.some((file) => file.file.endsWith('.tsx'))).toBe(true);
    expect(dependencyFree(path.join(SRC, 'commitments', 'write', 'developments.ts'))).toBe(true);
    expect(dependencyFree(path.join(SRC, 'commitments', 'write', 'lifecycle.controller.ts'))).toBe(false);
    const leaks = webFiles.flatMap((file) => [
      ...file.packages
        .filter((name) => serverPackages.has(name))
        .map((name) => `${relative(file.file)} imports the server's package ${name}`),
      ...file.imports
        .filter((target) => !target.startsWith(web + path.sep) && !dependencyFree(target))
        .map((target) => `${relative(file.file)} imports ${relative(target)}, which needs the server`),
    ]);
    expect(leaks).toEqual([]);
  });
});
