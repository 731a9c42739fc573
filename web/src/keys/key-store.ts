// IndexedDB keeps CryptoKey objects as they are (structured clone), so a non-extractable private
// key is stored without ever being exported. Clearing the site's data removes it: the browser is
// then a new machine to the hub.

const DATABASE = "pairgate";
const STORE = "keys";
const DATABASE_VERSION = 1;

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, DATABASE_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB could not be opened"));
  });
}

function inStore<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const transaction = db.transaction(STORE, mode);
        const request = act(transaction.objectStore(STORE));
        transaction.oncomplete = () => {
          db.close();
          resolve(request.result as T);
        };
        transaction.onerror = () => {
          db.close();
          reject(transaction.error ?? new Error("IndexedDB transaction failed"));
        };
      }),
  );
}

export function readStoredKeyPair(name: string): Promise<CryptoKeyPair | undefined> {
  return inStore<CryptoKeyPair | undefined>("readonly", (store) => store.get(name));
}

export function storeKeyPair(name: string, pair: CryptoKeyPair): Promise<void> {
  return inStore<unknown>("readwrite", (store) => store.put(pair, name)).then(() => undefined);
}
