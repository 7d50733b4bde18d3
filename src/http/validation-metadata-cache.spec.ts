import 'reflect-metadata';
import { IsInt, IsString, Min, getMetadataStorage, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

class Base {
  @IsString()
  name!: string;
}

class Derived extends Base {
  @IsInt()
  @Min(1)
  count!: number;
}

const failedFields = (object: object) =>
  validateSync(object)
    .map((error) => `${error.property}:${Object.keys(error.constraints ?? {}).join('+')}`)
    .sort();

const withValues = <T extends object>(type: new () => T, values: Partial<T>): T =>
  Object.assign(new type(), values);

describe('the validation metadata cache', () => {
  beforeAll(() => cacheValidationMetadata());

  it('validates as class-validator does, inherited rules included, every time', () => {
    for (let round = 0; round < 3; round++) {
      expect(failedFields(withValues(Derived, { name: 'x', count: 2 }))).toEqual([]);
      expect(failedFields(withValues(Derived, { name: 7 as never, count: 0 }))).toEqual([
        'count:min',
        'name:isString',
      ]);
      expect(failedFields(withValues(Base, { name: 7 as never }))).toEqual(['name:isString']);
    }
  });

  it('answers the same lookup from the cache, keeping groups and options apart', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Derived, '', false, false);
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false)).toBe(first);
    expect(first.map((metadata) => metadata.propertyName).sort()).toEqual(['count', 'count', 'name']);
    expect(storage.getTargetValidationMetadatas(Derived, '', false, false, ['admin'])).toEqual([]);
    expect(storage.getTargetValidationMetadatas(Base, '', false, false)).toHaveLength(1);
  });

  it('forgets what it knew when a rule is registered after the first validation', () => {
    class Late {
      @IsString()
      title!: string;
    }
    expect(failedFields(withValues(Late, { title: 1 as never }))).toEqual(['title:isString']);
    // A decorator applied now, as a class loaded later would: the new rule counts at once.
    Min(5)(Late.prototype, 'size');
    expect(failedFields(withValues(Late, { title: 'ok', size: 2 } as never))).toEqual(['size:min']);
  });

  it('installs once', () => {
    const lookup = getMetadataStorage().getTargetValidationMetadatas;
    cacheValidationMetadata();
    expect(getMetadataStorage().getTargetValidationMetadatas).toBe(lookup);
  });
});
