/** A pod's keys: its UID where known, otherwise its namespace and name. */
export interface PodKey {
  uid: string | null;
  namespace: string | null;
  name: string | null;
}

/**
 * Finds a value by pod: by UID first, then by namespace and name. Pods nearly always carry a UID, so the
 * namespace-and-name index is built only on the first lookup that needs it; keys are the strings the parsed objects
 * already hold (nested maps, no joined key strings).
 */
export class PodIndex<T> {
  private readonly byUid = new Map<string, T>();
  private readonly added: Array<[PodKey, T]> = [];
  private byName: Map<string, Map<string, T>> | null = null;

  /** Adds a value for a pod; the first value for a key stays. */
  add(key: PodKey, value: T): void {
    if (key.uid && !this.byUid.has(key.uid)) {
      this.byUid.set(key.uid, value);
    }
    this.added.push([key, value]);
    if (this.byName) {
      this.addName(key, value);
    }
  }

  /** The value for this pod, by UID or else by namespace and name. */
  get(key: PodKey): T | undefined {
    const byUid = key.uid ? this.byUid.get(key.uid) : undefined;
    if (byUid !== undefined || !key.namespace || !key.name) {
      return byUid;
    }
    if (!this.byName) {
      this.byName = new Map();
      for (const [added, value] of this.added) {
        this.addName(added, value);
      }
    }
    return this.byName.get(key.namespace)?.get(key.name);
  }

  private addName(key: PodKey, value: T): void {
    if (!key.namespace || !key.name) {
      return;
    }
    let names = this.byName!.get(key.namespace);
    if (!names) {
      names = new Map();
      this.byName!.set(key.namespace, names);
    }
    if (!names.has(key.name)) {
      names.set(key.name, value);
    }
  }
}
