/** The emulator CLI's flags and fleet file as EmulatorOptions, and the text form of device behaviours. */
import { describe, expect, it } from 'vitest';
import { parseBehaviour } from '../../../emulator/device-behaviour.js';
import { parseFleetFile } from '../../../emulator/fleet-file.js';
import { cliSettings } from '../../../scripts/emulator-options.js';

const files: Record<string, string> = {
  'fleet.yaml': [
    'thingGroups:',
    '  - field-fleet',
    '  - { name: basement, behaviour: offline }',
    'things:',
    '  - { name: sensor-01, groups: [field-fleet] }',
    '  - { name: sensor-07, groups: [field-fleet], behaviour: "fail:0x01000000: 0xfffffffe" }',
    '  - { name: sensor-08, behaviour: { failRate: 0.5, seed: 3 } }',
    '  - bench-device-01',
  ].join('\n'),
};
const settings = (argv: string[], env: Record<string, string> = {}) =>
  cliSettings(argv, env, (path) => files[path] ?? '');

describe('cliSettings', () => {
  it('keeps the defaults without flags: a free port, no fleet, the default claims', () => {
    expect(settings([])).toEqual({ options: { port: 0 } });
  });

  it('takes the user’s region, account, buckets, roles, trust, time scale and env file', () => {
    expect(
      settings([
        '--port=4566',
        '--write-env=emu.env',
        '--region=eu-west-1',
        '--account=111122223333',
        '--bucket=acme-firmware',
        '--bucket=scratch:unversioned',
        '--role=github-ota-deployer',
        '--role=arn:aws:iam::111122223333:role/other',
        '--trust=repo:acme/*',
        '--time-scale=60',
      ]),
    ).toEqual({
      writeEnv: 'emu.env',
      options: {
        port: 4566,
        region: 'eu-west-1',
        accountId: '111122223333',
        buckets: [
          { name: 'acme-firmware', versioned: true },
          { name: 'scratch', versioned: false },
        ],
        roles: [
          { arn: 'arn:aws:iam::111122223333:role/github-ota-deployer', trustedSubs: ['repo:acme/*'] },
          { arn: 'arn:aws:iam::111122223333:role/other', trustedSubs: ['repo:acme/*'] },
        ],
        timeScale: 60,
      },
    });
  });

  it('puts GITHUB_REPOSITORY and GITHUB_REF in the OIDC token, and --trust alone on the default role', () => {
    expect(
      settings(['--partition=aws-cn', '--trust=repo:acme/fw:ref:refs/tags/*'], {
        GITHUB_REPOSITORY: 'acme/fw',
        GITHUB_REF: 'refs/heads/main',
      }).options,
    ).toEqual({
      port: 0,
      partition: 'aws-cn',
      roles: [
        {
          arn: 'arn:aws-cn:iam::123456789012:role/ota-deployer',
          trustedSubs: ['repo:acme/fw:ref:refs/tags/*'],
        },
      ],
      oidcClaims: { repository: 'acme/fw', ref: 'refs/heads/main' },
    });
  });

  it('merges the fleet file with --thing, --thing-group and --behaviour', () => {
    const { options } = settings([
      '--fleet=fleet.yaml',
      '--thing=canary-01:canary,field-fleet',
      '--thing=lab-01',
      '--thing-group=lab',
      '--behaviour=thing/sensor-01=hang',
      '--behaviour=thinggroup/canary=reject:too old',
      '--behaviour=thinggroup/lab=fail-rate:0.25:9',
    ]);
    expect([options.things, options.thingGroups]).toEqual([
      [
        { name: 'sensor-01', groups: ['field-fleet'], behaviour: 'hang' },
        { name: 'sensor-07', groups: ['field-fleet'], behaviour: { fail: '0x01000000: 0xfffffffe' } },
        { name: 'sensor-08', behaviour: { failRate: 0.5, seed: 3 } },
        { name: 'bench-device-01' },
        { name: 'canary-01', groups: ['canary', 'field-fleet'] },
        { name: 'lab-01' },
      ],
      [
        { name: 'field-fleet' },
        { name: 'basement', behaviour: 'offline' },
        { name: 'lab', behaviour: { failRate: 0.25, seed: 9 } },
        { name: 'canary', behaviour: { reject: 'too old' } },
      ],
    ]);
  });

  it.each([
    [['--port=http'], '--port must be an integer 0..65535, got http'],
    [['--account=1234'], '--account must be 12 digits, got 1234'],
    [['--region=Europe'], '--region must be a region such as eu-west-1, got Europe'],
    [['--time-scale=0'], '--time-scale must be a number > 0, got 0'],
    [
      ['--bucket=Bad_Bucket'],
      '--bucket must be NAME or NAME:unversioned with an S3 bucket name, got Bad_Bucket',
    ],
    [['--role=bad role'], '--role must be a role name or ARN, got bad role'],
    [['--behaviour=sensor-01=fail'], '--behaviour must be thing/NAME=BEHAVIOUR or thinggroup/NAME=BEHAVIOUR'],
    [['--behaviour=thing/ghost=fail'], '--behaviour names thing ghost, which no --thing or --fleet declares'],
    [
      ['--thing=a', '--behaviour=thing/a=explode'],
      "--behaviour thing/a: 'explode' is not a device behaviour",
    ],
    [['--colour=red'], "Unknown option '--colour'"],
  ])('refuses %j', (argv, message) => {
    expect(() => settings(argv)).toThrow(message);
  });
});

describe('parseFleetFile', () => {
  it.each([
    ['things: {a: 1}', 'f.yaml: things: expected a list'],
    ['devices: []', "f.yaml: unknown key 'devices' (expected things, thingGroups)"],
    [
      'things: [{name: a, colour: red}]',
      "f.yaml: things.1: unknown key 'colour' (expected name, groups, behaviour)",
    ],
    ['things: [{groups: [g]}]', 'f.yaml: things.1: name must be a string'],
    [
      'things: [{name: a, behaviour: {fail: ""}}]',
      "Value '' at 'f.yaml: things.1 reason' failed to satisfy constraint",
    ],
    ['__proto__: {polluted: true}', "f.yaml: unknown key '__proto__'"],
    ['things: [a, [b]]', 'f.yaml: things.2: expected a name or an object with a name'],
    ['things: [', 'f.yaml: '],
  ])('refuses %j', (text, message) => {
    expect(() => parseFleetFile(text, 'f.yaml')).toThrow(message);
  });

  it('reads an empty file as an empty fleet', () => {
    expect(parseFleetFile('', 'f.yaml')).toEqual({ things: [], thingGroups: [] });
  });
});

describe('parseBehaviour', () => {
  it.each([
    ['succeed', 'succeed'],
    ['offline', 'offline'],
    ['hang', 'hang'],
    ['fail', 'fail'],
    ['reject', 'reject'],
    ['fail:0x01000000', { fail: '0x01000000' }],
    ['fail:0x01000000: 0xfffffffe', { fail: '0x01000000: 0xfffffffe' }],
    ['reject:same version', { reject: 'same version' }],
    ['fail-rate:0.2:7', { failRate: 0.2, seed: 7 }],
    ['fail-rate:1:-3:flash write error', { failRate: 1, seed: -3, reason: 'flash write error' }],
  ])('reads %j', (text, behaviour) => {
    expect(parseBehaviour(text, 'x')).toEqual(behaviour);
  });

  it.each(['explode', 'fail:', 'fail-rate:2:1', 'fail-rate:0.5', 'fail-rate:0.5:1.5'])(
    'refuses %j',
    (text) => {
      expect(() => parseBehaviour(text, 'x')).toThrow(/^emulator: x/);
    },
  );
});
