/**
 * Process-wide sharing of key stores and metadata stores: every verifier that names the same URL with the
 * same key options uses one store, so one process fetches each JWK Set once however many verifiers,
 * routers or tenants use it. Bounded, least recently used first out.
 */
import { LRUCache } from 'lru-cache';
import { MetadataStore } from './discovery.js';
import type { ResolvedKeyOptions } from './key-options.js';
import { KeyStore } from './key-store.js';

/** Most stores of each kind kept for sharing (a verifier keeps its own stores alive regardless). */
const MAX_SHARED_STORES = 256;

const keyStores = new LRUCache<string, KeyStore>({ max: MAX_SHARED_STORES });
const metadataStores = new LRUCache<string, MetadataStore>({ max: MAX_SHARED_STORES });

/** The shared {@link KeyStore} of `jwksUri` under `options`. */
export function sharedKeyStore(jwksUri: string, options: ResolvedKeyOptions): KeyStore {
  const id = `${jwksUri}\u0000${options.signature}`;
  let store = keyStores.get(id);
  if (store === undefined) {
    store = new KeyStore(jwksUri, options);
    keyStores.set(id, store);
  }
  return store;
}

/** The shared {@link MetadataStore} of `issuer` under `options`. */
export function sharedMetadataStore(issuer: string, options: ResolvedKeyOptions): MetadataStore {
  const id = `${issuer}\u0000${options.signature}`;
  let store = metadataStores.get(id);
  if (store === undefined) {
    store = new MetadataStore(issuer, options);
    metadataStores.set(id, store);
  }
  return store;
}
