import { PodIndex } from './pod-index';

describe('PodIndex', () => {
  it('finds a pod by UID, and by namespace and name when the UID is unknown', () => {
    const index = new PodIndex<string>();
    index.add('0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3', 'kube-system', 'coredns-66bff467f8-szddj', 'coredns');

    expect(index.get('0adffe8e-9849-4e05-b4cd-92d2d1e1f1c3', null, null)).toBe('coredns');
    expect(index.get(null, 'kube-system', 'coredns-66bff467f8-szddj')).toBe('coredns');
    expect(index.get(null, 'default', 'coredns-66bff467f8-szddj')).toBeUndefined();
  });

  it('does not match a recreated pod of the same name by name when every entry has a UID', () => {
    const index = new PodIndex<string>();
    index.add('uid-old', 'shop', 'api-0', 'old');

    expect(index.get('uid-new', 'shop', 'api-0')).toBeUndefined();
  });

  it('falls back to the name for entries added without a UID, including ones added after the first lookup', () => {
    const index = new PodIndex<string>();
    index.add(null, 'shop', 'api-0', 'from sidecar');
    expect(index.get('uid-1', 'shop', 'api-0')).toBe('from sidecar');

    index.add(null, 'shop', 'api-1', 'later');
    expect(index.get('uid-2', 'shop', 'api-1')).toBe('later');
  });

  it('keeps the first value for a key', () => {
    const index = new PodIndex<number>();
    index.add('u', 'shop', 'api-0', 1);
    index.add('u', 'shop', 'api-0', 2);

    expect(index.get('u', null, null)).toBe(1);
    expect(index.get(null, 'shop', 'api-0')).toBe(1);
  });
});
