/** The shapes of the identifiers and codes commitments use. */
export const PARTY_CODE = /^(?=.{2,16}$)[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;
export const TOPIC = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const COMMITMENT_ID = /^[a-z0-9][a-z0-9-]{2,79}$/;
export const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
