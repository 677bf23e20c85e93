/**
 * Finds a value by pod: by UID first, then by namespace and name. Pods nearly always carry a UID, so the
 * namespace-and-name index is built only on the first lookup that needs it; keys are the strings the parsed objects
 * already hold (nested maps, no joined key strings), and lookups allocate nothing.
 */
export class PodIndex<T> {
  private readonly byUid = new Map<string, T>();
  private readonly namespaces: Array<string | null> = [];
  private readonly names: Array<string | null> = [];
  private readonly values: T[] = [];
  private byName: Map<string, Map<string, T>> | null = null;
  /** Some value was added without a UID, so a UID miss must still try the name. */
  private someWithoutUid = false;

  /** Adds a value for a pod; the first value for a key stays. */
  add(uid: string | null, namespace: string | null, name: string | null, value: T): void {
    if (!uid) {
      this.someWithoutUid = true;
    } else if (!this.byUid.has(uid)) {
      this.byUid.set(uid, value);
    }
    this.namespaces.push(namespace);
    this.names.push(name);
    this.values.push(value);
    if (this.byName) {
      this.addName(namespace, name, value);
    }
  }

  /** The value for this pod, by UID or else by namespace and name. */
  get(uid: string | null, namespace: string | null, name: string | null): T | undefined {
    const byUid = uid ? this.byUid.get(uid) : undefined;
    if (byUid !== undefined || !namespace || !name || (uid && !this.someWithoutUid)) {
      return byUid;
    }
    if (!this.byName) {
      this.byName = new Map();
      for (let i = 0; i < this.values.length; i++) {
        this.addName(this.namespaces[i], this.names[i], this.values[i]);
      }
    }
    return this.byName.get(namespace)?.get(name);
  }

  private addName(namespace: string | null, name: string | null, value: T): void {
    if (!namespace || !name) {
      return;
    }
    let names = this.byName!.get(namespace);
    if (!names) {
      names = new Map();
      this.byName!.set(namespace, names);
    }
    if (!names.has(name)) {
      names.set(name, value);
    }
  }
}
