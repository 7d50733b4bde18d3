/** How far a generated id counts up (`-2`, `-3`, …) before the clash is reported. */
export const MAX_GENERATED_ID_SUFFIX = 50;

/** A commitment id made from a title, with `-suffix` in place of its end when it is taken (ids are at most 80 characters). */
export function generatedIdWithSuffix(base: string, suffix: number): string {
  return suffix === 1 ? base : `${base.slice(0, 80 - String(suffix).length - 1)}-${suffix}`;
}
