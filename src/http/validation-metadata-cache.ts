import { getMetadataStorage, type MetadataStorage } from 'class-validator';

/**
 * class-validator looks up a class's validation rules on every validation of every object, and the
 * lookup tests the class against every decorated class of the application for inheritance
 * (typestack/class-validator#2686): with this API's many decorated DTOs, that lookup is the costly part
 * of validating a write (`npm run bench:profile` shows it). The rules of a class are all registered
 * when its module loads, before anything can be validated against it, so the answer for a class (and
 * the same options) never changes: it is kept here, and kept apart per class, schema and groups options.
 * Registering a rule later (a class loaded after the first validation) empties the cache.
 */

type ValidationMetadata = Parameters<MetadataStorage['addValidationMetadata']>[0];

const INSTALLED = Symbol.for('commitment-tracker.validation-metadata-cache');

/** Installs the cache on class-validator's (process-wide) metadata storage; installing twice is a no-op. */
export function cacheValidationMetadata(): void {
  const storage: MetadataStorage & { [INSTALLED]?: true } = getMetadataStorage();
  if (storage[INSTALLED]) return;
  storage[INSTALLED] = true;

  let lookups = new WeakMap<object, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const groupByPropertyName = storage.groupByPropertyName.bind(storage);
  const addValidationMetadata = storage.addValidationMetadata.bind(storage);
  const addConstraintMetadata = storage.addConstraintMetadata.bind(storage);
  const forget = () => {
    lookups = new WeakMap();
    grouped = new WeakMap();
  };

  storage.getTargetValidationMetadatas = (target, targetSchema, always, strictGroups, groups) => {
    const key = `${targetSchema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let byOptions = lookups.get(target);
    if (!byOptions) lookups.set(target, (byOptions = new Map()));
    let metadata = byOptions.get(key);
    if (!metadata)
      byOptions.set(key, (metadata = lookup(target, targetSchema, always, strictGroups, groups)));
    return metadata;
  };
  // The validator groups the (now identical) array by property on every object too; it only reads the result.
  storage.groupByPropertyName = (metadata) => {
    let byProperty = grouped.get(metadata);
    if (!byProperty) grouped.set(metadata, (byProperty = groupByPropertyName(metadata)));
    return byProperty;
  };
  storage.addValidationMetadata = (metadata) => {
    forget();
    addValidationMetadata(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    forget();
    addConstraintMetadata(metadata);
  };
}
