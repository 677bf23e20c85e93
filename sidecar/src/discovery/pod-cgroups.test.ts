import * as fs from 'fs';
import * as path from 'path';
import { preparedRoot } from '../cgroup/prepared-tree';
import { discoverPodCgroups, parsePodDirName } from './pod-cgroups';

const UID_A = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const UID_B = 'f1e2d3c4-b5a6-4789-8abc-def012345678';
const ID_1 = 'a'.repeat(64);
const ID_2 = 'b'.repeat(64);

const roots: string[] = [];
afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

/** A tree with the given directories; `files` are empty files (markers such as cgroup.controllers). */
function tree(dirs: string[], files: string[]): string {
  const root = preparedRoot();
  roots.push(root);
  dirs.forEach((dir) => fs.mkdirSync(path.join(root, dir), { recursive: true }));
  files.forEach((file) => fs.writeFileSync(path.join(root, file), ''));
  return root;
}

const underscored = (uid: string) => uid.replace(/-/g, '_');
const summary = (root: string) =>
  discoverPodCgroups(root).cgroups.map(({ cgroupPath, version, podUid, containerId, qos, runtime }) => ({
    cgroupPath,
    version,
    podUid,
    containerId,
    qos,
    runtime,
  }));

describe('pod cgroup discovery', () => {
  it('finds systemd-driver containerd containers on v2, guaranteed pods directly under kubepods.slice', () => {
    const burstable = `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${underscored(UID_A)}.slice`;
    const guaranteed = `kubepods.slice/kubepods-pod${underscored(UID_B)}.slice`;
    const root = tree(
      [
        `${burstable}/cri-containerd-${ID_1}.scope`,
        `${guaranteed}/cri-containerd-${ID_2}.scope`,
        'system.slice/kubelet.service',
      ],
      ['cgroup.controllers']
    );

    expect(summary(root)).toEqual([
      {
        cgroupPath: `${burstable}/cri-containerd-${ID_1}.scope`,
        version: 2,
        podUid: UID_A,
        containerId: ID_1,
        qos: 'burstable',
        runtime: 'containerd',
      },
      {
        cgroupPath: `${guaranteed}/cri-containerd-${ID_2}.scope`,
        version: 2,
        podUid: UID_B,
        containerId: ID_2,
        qos: 'guaranteed',
        runtime: 'containerd',
      },
    ]);
  });

  it('finds CRI-O and Docker scopes and leaves out the conmon scope', () => {
    const pod = `kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${underscored(UID_A)}.slice`;
    const root = tree(
      [`${pod}/crio-${ID_1}.scope`, `${pod}/crio-conmon-${ID_1}.scope`, `${pod}/docker-${ID_2}.scope`],
      ['cgroup.controllers']
    );

    expect(summary(root).map(({ containerId, runtime, qos }) => ({ containerId, runtime, qos }))).toEqual([
      { containerId: ID_1, runtime: 'crio', qos: 'besteffort' },
      { containerId: ID_2, runtime: 'docker', qos: 'besteffort' },
    ]);
  });

  it('finds cgroupfs-driver containers on v1 under memory/, guaranteed pods at kubepods/pod<UID>', () => {
    const root = tree(
      [`memory/kubepods/burstable/pod${UID_A}/${ID_1}`, `memory/kubepods/pod${UID_B}/${ID_2}`],
      ['memory/memory.usage_in_bytes']
    );

    expect(summary(root)).toEqual([
      {
        cgroupPath: `memory/kubepods/burstable/pod${UID_A}/${ID_1}`,
        version: 1,
        podUid: UID_A,
        containerId: ID_1,
        qos: 'burstable',
        runtime: null,
      },
      {
        cgroupPath: `memory/kubepods/pod${UID_B}/${ID_2}`,
        version: 1,
        podUid: UID_B,
        containerId: ID_2,
        qos: 'guaranteed',
        runtime: null,
      },
    ]);
  });

  it('finds systemd-driver containers on v1', () => {
    const pod = `memory/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${underscored(UID_A)}.slice`;
    const root = tree([`${pod}/docker-${ID_1}.scope`], ['memory/memory.usage_in_bytes']);

    expect(summary(root).map(({ podUid, containerId, version }) => ({ podUid, containerId, version }))).toEqual([
      { podUid: UID_A, containerId: ID_1, version: 1 },
    ]);
  });

  it('finds a kubelet nested under its own slice, as kind runs it', () => {
    const pod = `kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod${underscored(UID_A)}.slice`;
    const root = tree([`${pod}/cri-containerd-${ID_1}.scope`], ['cgroup.controllers']);

    expect(summary(root).map(({ podUid, qos }) => ({ podUid, qos }))).toEqual([{ podUid: UID_A, qos: 'besteffort' }]);
  });

  it('says so when the root has no memory controller', () => {
    const root = tree(['cpu'], []);

    expect(discoverPodCgroups(root)).toEqual({
      cgroups: [],
      notices: [`no cgroup memory controller found under ${root}`],
    });
  });

  it('does not take a QoS slice or a container for a pod', () => {
    expect(parsePodDirName('kubepods-burstable.slice')).toBeNull();
    expect(parsePodDirName(ID_1)).toBeNull();
    expect(parsePodDirName(`pod${UID_A}`)).toEqual({ podUid: UID_A });
  });
});
