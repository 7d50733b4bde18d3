import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layout's promises, checked on the import graph of src/ (specs left out): no import cycle between
 * files or between folders, a pure domain, generic machinery that knows no feature.
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
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}

function parse(file: string): SourceFile {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  const imports: string[] = [];
  const packages: string[] = [];
  for (const { fileName } of importedFiles) {
    if (fileName.startsWith('.')) {
      imports.push(path.resolve(path.dirname(file), fileName.replace(/\.js$/, '.ts')));
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
    const impure = files
      .filter((file) => file.folder.startsWith(domain))
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

  it('keeps the event store, the projection machinery and HTTP plumbing free of features', () => {
    const generic = ['event-store', 'projections', 'http', 'database'].map((folder) =>
      path.join(SRC, folder),
    );
    const features = ['commitments', 'seed', 'events-feed', 'imports', 'log-transfer'].map((folder) =>
      path.join(SRC, folder),
    );
    const leaks = files
      .filter((file) => generic.some((folder) => file.folder.startsWith(folder)))
      .flatMap((file) =>
        file.imports
          .filter((target) => features.some((folder) => target.startsWith(folder)))
          .map((target) => `${relative(file.file)} imports ${relative(target)}`),
      );
    expect(leaks).toEqual([]);
  });
});
