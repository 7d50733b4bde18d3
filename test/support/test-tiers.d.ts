export type Tier = 'unit' | 'int' | 'e2e' | 'slow';
export const TIERS: readonly Tier[];
export const TEST_FILE: RegExp;
export const SLOW_FILES: readonly string[];
export function tierOf(file: string): Tier;
export function testFiles(root: string): string[];
export function testMatchOf(root: string, tier: Tier): string[];
