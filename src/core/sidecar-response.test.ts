import fc from 'fast-check';

import { parseSidecarResponse } from './sidecar-response';
import { sidecarContainer, sidecarResponse } from './test-objects';

const identity = (container: string) => ({
  namespace: 'shop',
  pod: 'api-1',
  container,
  podUid: 'u-1',
  containerId: null,
  cgroupPath: `kubepods.slice/${container}`,
});

describe('parseSidecarResponse', () => {
  it('accepts a valid answer as is', () => {
    const body = JSON.parse(
      JSON.stringify(sidecarResponse('node-a', [sidecarContainer({ identity: identity('api') })]))
    );

    const { response, notices } = parseSidecarResponse(body, 'shop/api-1');

    expect(notices).toEqual([]);
    expect(response?.containers.map((c) => c.identity.container)).toEqual(['api']);
  });

  it('leaves out one malformed container and keeps the others', () => {
    const body = JSON.parse(
      JSON.stringify(
        sidecarResponse('node-a', [
          sidecarContainer({ identity: identity('api') }),
          sidecarContainer({ identity: identity('envoy') }),
        ])
      )
    );
    body.containers[0].method = 'v3-magic';

    const { response, notices } = parseSidecarResponse(body, 'shop/api-1');

    expect(response?.containers.map((c) => c.identity.container)).toEqual(['envoy']);
    expect(notices).toEqual([
      { severity: 'warning', text: 'sidecar shop/api-1: container #1 is malformed at method; left out' },
    ]);
  });

  it('refuses another API version and passes on the sidecar’s own notices', () => {
    const body = { ...sidecarResponse('node-a', []), apiVersion: 'v2' };
    expect(parseSidecarResponse(body, 'shop/api-1')).toEqual({
      response: null,
      notices: [{ severity: 'error', text: 'sidecar shop/api-1: speaks API v2, expected v1' }],
    });

    const withNotice = { ...sidecarResponse('node-a', []), notices: ['memory.peak missing: Linux before 5.19'] };
    expect(parseSidecarResponse(withNotice, 'shop/api-1').notices).toEqual([
      { severity: 'info', text: 'sidecar shop/api-1: memory.peak missing: Linux before 5.19' },
    ]);
  });

  it('never throws on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => parseSidecarResponse(body, 'x').notices.length >= 0));
  });
});
