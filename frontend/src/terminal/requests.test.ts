import { describe, expect, it } from 'vitest';
import { PendingRequest } from './requests';

const setup = () => {
  const heard: string[] = [];
  const requests = new PendingRequest({
    serialConfirmed: (r) => heard.push(`confirmed ${r}`),
    serialRefused: (d) => heard.push(`serial refused ${d}`),
    sharingRefused: (d) => heard.push(`sharing refused ${d}`),
    unasked: (d) => heard.push(`unasked ${d}`),
  });
  return { requests, heard };
};

describe('PendingRequest', () => {
  it('routes a refusal to the part that asked last', () => {
    const { requests, heard } = setup();
    requests.sent('line');
    requests.sent('sharing');
    requests.refused('not the controller');
    requests.sent('break');
    requests.refused('no serial port');
    expect(heard).toEqual(['sharing refused not the controller', 'serial refused no serial port']);
  });

  it('says which serial request the device got', () => {
    const { requests, heard } = setup();
    requests.sent('break');
    requests.lineSent();
    requests.sent('line');
    requests.lineSent();
    expect(heard).toEqual(['confirmed break', 'confirmed line']);
  });

  it('settles a request once: a second answer is nobody’s', () => {
    const { requests, heard } = setup();
    requests.sent('line');
    requests.refused('bad baud');
    requests.refused('cols out of range');
    expect(heard).toEqual(['serial refused bad baud', 'unasked cols out of range']);
  });

  it('takes a role change as the answer to a sharing action only', () => {
    const { requests, heard } = setup();
    expect(requests.roleChanged()).toBe(false);
    requests.sent('line');
    expect(requests.roleChanged()).toBe(false);
    requests.sent('sharing');
    expect(requests.roleChanged()).toBe(true);
    expect(requests.roleChanged()).toBe(false);
    requests.refused('late');
    expect(heard).toEqual(['unasked late']);
  });
});
