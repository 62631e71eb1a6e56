/**
 * The documentation says what the action and its setup really are: links resolve, policies are valid JSON that
 * grant what the action needs, every error code is documented, and the README carries what users look for.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STATIC_CREDENTIAL } from '../../../emulator/credentials.js';
import { anchors, fencedBlocks, links, slug } from './markdown.js';
import { tableRows } from './readme-tables.js';
import { findUses, isThisAction, parseYaml } from './workflows.js';
import { AWS_ERROR_CODES, hintFor, type AwsCallContext } from '../../../src/aws/error-hints.js';
import { OWN_ERROR_CODES } from '../../../src/errors.js';

const root = join(import.meta.dirname, '../../..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');
const markdownFiles = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`),
];

/**
 * Every code the step can report as `error-code`: the action's own, and the AWS error names the catalog has a
 * hint of its own for (any other AWS name gets "see AWS's message", and the troubleshooting page says so).
 */
const EMITTED_CODES = [...new Set<string>([...OWN_ERROR_CODES, ...AWS_ERROR_CODES])];

const DEPLOYER_ACTIONS = [
  'iot:CreateOTAUpdate',
  'iot:GetOTAUpdate',
  'iot:TagResource',
  'iot:ListTagsForResource',
  'iot:DeleteOTAUpdate',
  'iot:DeleteJob',
  'iot:DeleteStream',
  'iam:PassRole',
  's3:GetBucketVersioning',
  's3:PutObject',
  's3:GetObject',
  's3:GetObjectVersion',
  's3:AbortMultipartUpload',
  's3:ListMultipartUploadParts',
  'signer:StartSigningJob',
  'iot:DescribeJob',
  'iot:ListJobExecutionsForJob',
  'iot:DescribeJobExecution',
  'iot:CancelJob',
];

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { Federated?: string; Service?: string };
  Condition?: Record<string, Record<string, string | string[]>>;
}

const policies = (file: string): Statement[][] =>
  fencedBlocks(read(file), 'json').map(
    (block) => (JSON.parse(block) as { Statement: Statement[] }).Statement,
  );
const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
const conditionValues = (statements: Statement[], key: string): string[] =>
  statements.flatMap((s) =>
    Object.values(s.Condition ?? {}).flatMap((byKey) => {
      const value = byKey[key];
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    }),
  );

describe.each(markdownFiles)('%s', (file) => {
  const text = read(file);

  it('links only to files and headings that exist', () => {
    const broken = links(text)
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => {
        const [path = '', anchor] = target.split('#');
        const resolved = path === '' ? file : normalize(join(dirname(file), path));
        if (!existsSync(join(root, resolved))) return true;
        return anchor !== undefined && resolved.endsWith('.md') && !anchors(read(resolved)).has(anchor);
      });
    expect(broken).toEqual([]);
  });

  it('has only valid JSON and YAML in its code blocks', () => {
    for (const block of fencedBlocks(text, 'json')) expect(() => JSON.parse(block)).not.toThrow();
    for (const block of fencedBlocks(text, 'yaml')) expect(parseYaml(block).error).toBeUndefined();
  });
});

/**
 * One troubleshooting section per failure. A section's heading names one code (`## \`CODE\``); a failure that
 * AWS reports under several names lists the others in its first paragraph, `**Also reported as** \`A\`, \`B\`.`
 */
interface CodeSection {
  code: string;
  aliases: string[];
  body: string;
}

function codeSections(markdown: string): CodeSection[] {
  return markdown
    .split(/\n## /)
    .slice(1)
    .flatMap((section) => {
      const [heading = '', ...rest] = section.split('\n');
      const code = /^`([^`]+)`$/.exec(heading)?.[1];
      if (code === undefined) return [];
      const body = rest.join('\n');
      const firstParagraph = body.trim().split('\n\n')[0] ?? '';
      const aliases = firstParagraph.startsWith('**Also reported as**')
        ? [...firstParagraph.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '')
        : [];
      return [{ code, aliases, body }];
    });
}

/** The codes in the README's error-code table, in order. */
function readmeTableCodes(readme: string): string[] {
  const section = readme.slice(readme.indexOf('\n## Error codes'), readme.indexOf('\n## Proxies'));
  return tableRows(section).map(([code = '']) => /^`([^`]+)`$/.exec(code)?.[1] ?? code);
}

describe('error codes', () => {
  const readme = read('README.md');
  const troubleshooting = read('docs/troubleshooting.md');
  const sections = codeSections(troubleshooting);
  const documented = sections.flatMap((s) => [s.code, ...s.aliases]);

  it.each(EMITTED_CODES)(
    '%s has exactly one troubleshooting section (its own, or one that names it)',
    (code) => {
      expect(documented.filter((c) => c === code)).toEqual([code]);
    },
  );

  it('documents only codes the action can report', () => {
    expect(documented.filter((code) => !EMITTED_CODES.includes(code))).toEqual([]);
  });

  it('each troubleshooting section says what it means and what to do', () => {
    const incomplete = sections
      .filter((s) => !s.body.includes('**Meaning.**') || !s.body.includes('**What to do.**'))
      .map((s) => s.code);
    expect(incomplete).toEqual([]);
  });

  it('names that share a section get the same advice from the action', () => {
    const contexts: AwsCallContext[] = [
      {
        operation: 'AssumeRoleWithWebIdentity',
        roleArn: 'arn:aws:iam::123456789012:role/r',
        region: 'eu-west-1',
      },
      { operation: 'CreateOTAUpdate', otaUpdateId: 'fw-1', region: 'eu-west-1' },
      { operation: 'HeadObject', bucket: 'b', key: 'k', region: 'eu-west-1' },
      { operation: 'DescribeJob', jobId: 'AFR_OTA-fw-1', region: 'eu-west-1' },
    ];
    const differing = sections.flatMap((s) =>
      s.aliases.filter((alias) =>
        contexts.some((ctx) =>
          ['', 'Incorrect token audience'].some(
            (message) => hintFor(alias, ctx, message) !== hintFor(s.code, ctx, message),
          ),
        ),
      ),
    );
    expect(differing).toEqual([]);
  });

  it('the README lists the codes met most, each documented, and links to the page that has every code', () => {
    const table = readmeTableCodes(readme);
    expect(table.length).toBeGreaterThan(10);
    expect(new Set(table).size).toBe(table.length);
    expect(table.filter((code) => !documented.includes(code))).toEqual([]);
    expect(readme).toContain('(docs/troubleshooting.md)');
  });
});

describe.each(['README.md', 'docs/iam.md'])('IAM policies in %s', (file) => {
  const all = policies(file);
  const trust = all.filter((p) =>
    p.some((s) => s.Principal?.Federated?.endsWith('/token.actions.githubusercontent.com')),
  );
  const service = all.filter((p) => p.some((s) => s.Principal?.Service === 'iot.amazonaws.com'));
  const permissions = all.filter((p) => p.every((s) => s.Principal === undefined));
  /** The OTA service role's own policy is the one that lets it pass itself on. */
  const servicePolicy = permissions.filter((p) => actionsOf(p).includes('iam:GetRole'));
  const deployerPolicy = permissions.filter((p) => !actionsOf(p).includes('iam:GetRole'));
  const resourcesOf = (statements: Statement[], action: string): string[] =>
    statements
      .filter((s) => actionsOf([s]).includes(action))
      .flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource ?? '']));

  it('the deployer role may do everything the action calls', () => {
    const granted = new Set(deployerPolicy.flatMap(actionsOf));
    expect(DEPLOYER_ACTIONS.filter((a) => !granted.has(a))).toEqual([]);
  });

  it('the deployer role tags, reads the tags of and deletes only OTA updates, and deletes only their jobs and streams', () => {
    const statements = deployerPolicy.flat();
    for (const action of ['iot:TagResource', 'iot:ListTagsForResource', 'iot:DeleteOTAUpdate']) {
      expect(resourcesOf(statements, action)).toEqual([expect.stringMatching(/:otaupdate\/\*$/)]);
    }
    // One statement may grant both on both kinds of resource, as long as that is all it reaches.
    for (const [action, own] of [
      ['iot:DeleteJob', /:job\/AFR_OTA-\*$/],
      ['iot:DeleteStream', /:stream\/AFR_OTA-\*$/],
    ] as const) {
      const resources = resourcesOf(statements, action);
      expect(resources.some((r) => own.test(r))).toBe(true);
      expect(resources.filter((r) => !/:(job|stream)\/AFR_OTA-\*$/.test(r))).toEqual([]);
    }
  });

  it('the deployer role trusts the tag and environment sub forms, with the STS audience', () => {
    const subs = trust.flatMap((p) => conditionValues(p, 'token.actions.githubusercontent.com:sub'));
    expect(subs.some((s) => /^repo:[\w.-]+\/[\w.-]+:ref:refs\/tags\/.+$/.test(s))).toBe(true);
    expect(subs.some((s) => /^repo:[\w.-]+\/[\w.-]+:environment:[\w-]+$/.test(s))).toBe(true);
    for (const p of trust) {
      const provider = p[0]?.Principal?.Federated ?? '';
      const partition =
        /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.exec(
          provider,
        )?.[1];
      expect(partition).toBeDefined();
      // The China partition's STS takes the audience sts.amazonaws.com.cn; the others the action's default.
      const audience = partition === 'aws-cn' ? 'sts.amazonaws.com.cn' : 'sts.amazonaws.com';
      expect(conditionValues(p, 'token.actions.githubusercontent.com:aud')).toEqual([audience]);
      expect(actionsOf(p)).toEqual(['sts:AssumeRoleWithWebIdentity']);
    }
  });

  it('the OTA service role trusts AWS IoT and can pass itself on', () => {
    expect(service).toHaveLength(1);
    expect(actionsOf(service[0] ?? [])).toEqual(['sts:AssumeRole']);
    expect(servicePolicy.flatMap(actionsOf)).toEqual(
      expect.arrayContaining(['iam:PassRole', 's3:GetObjectVersion']),
    );
  });

  it("the OTA service role's trust has exactly the confused-deputy conditions AWS IoT documents", () => {
    // AWS IoT's guide: aws:SourceAccount, and aws:SourceArn as arn:<partition>:iot:<region>:<account>:*, the same
    // account in both. A condition IoT's request does not meet would make every create fail, so nothing else.
    const [statement] = service[0] ?? [];
    const condition = statement?.Condition ?? {};
    expect(Object.keys(condition).sort()).toEqual(['ArnLike', 'StringEquals']);
    expect(Object.keys(condition.StringEquals ?? {})).toEqual(['aws:SourceAccount']);
    expect(Object.keys(condition.ArnLike ?? {})).toEqual(['aws:SourceArn']);
    const account = condition.StringEquals?.['aws:SourceAccount'];
    const sourceArns = conditionValues([statement as Statement], 'aws:SourceArn');
    expect(sourceArns.length).toBeGreaterThan(0);
    for (const arn of sourceArns) {
      const m = /^arn:aws(?:-cn|-us-gov)?:iot:[a-z0-9-]+:(\d{12}):\*$/.exec(arn);
      expect(m?.[1]).toBe(account);
    }
  });

  it('the OTA service role may write and read the signed file in the quick start signing destination', () => {
    const [quickStart] = fencedBlocks(read('README.md'), 'yaml');
    const step = findUses(parseYaml(quickStart ?? '').data).find((u) => isThisAction(u.uses));
    const inputs = (step?.with ?? {}) as Record<string, string>;
    expect(inputs['signing-profile']).toBeTruthy();
    const bucket = inputs['signing-destination-bucket'] ?? inputs['s3-bucket'];
    const destination = `arn:aws:s3:::${bucket}/${inputs['signing-destination-prefix'] ?? ''}*`;
    const statements = servicePolicy.flat();
    for (const action of ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion']) {
      expect(resourcesOf(statements, action)).toContain(destination);
    }
  });

  it('grants the job reads (rollout, replace) and CancelJob on the OTA jobs, and DescribeJobExecution on the things too', () => {
    const statements = deployerPolicy.flat();
    for (const action of ['iot:DescribeJob', 'iot:ListJobExecutionsForJob', 'iot:CancelJob']) {
      expect(resourcesOf(statements, action)).toEqual([expect.stringMatching(/:job\/AFR_OTA-\*$/)]);
    }
    expect(resourcesOf(statements, 'iot:DescribeJobExecution')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/:job\/AFR_OTA-\*$/),
        expect.stringMatching(/:thing\/\*$/),
      ]),
    );
  });

  it('never allows every action or every repository', () => {
    const everything = all.flatMap(actionsOf).filter((a) => a === '*' || a.endsWith(':*'));
    const anyRepo = trust
      .flatMap((p) => conditionValues(p, 'token.actions.githubusercontent.com:sub'))
      .filter((s) => /:\*$/.test(s));
    expect([...everything, ...anyRepo]).toEqual([]);
  });
});

describe('docs/iam.md', () => {
  it('covers reusable workflows with the job_workflow_ref claim', () => {
    const refs = policies('docs/iam.md').flatMap((p) =>
      conditionValues(p, 'token.actions.githubusercontent.com:job_workflow_ref'),
    );
    expect(refs).toEqual([
      'octo-org/aws-iot-ota-update-action/.github/workflows/ota-rollout.yml@refs/tags/v1*',
    ]);
  });
});

describe('README', () => {
  const readme = read('README.md');

  it.each([
    'npm ci && npm run demo',
    'npm ci && npm test',
    'npm run bench',
    'npm run local',
    'scripts/move-major-tag.sh v1.2.3',
    'HTTPS_PROXY',
    'NO_PROXY',
    '::add-mask::',
  ])('mentions %s', (text) => {
    expect(readme).toContain(text);
  });

  it.each([
    'Quick start',
    'Inputs',
    'Outputs',
    'Using the outputs',
    'AWS setup: the two roles',
    'Re-runs and idempotency',
    'Error codes',
    'Proxies and self-hosted runners',
    'Security',
    'Performance',
    'Try it locally / Development',
    'Release process',
  ])('has a section "%s"', (heading) => {
    expect(anchors(readme).has(slug(heading))).toBe(true);
  });

  it('opens with a tag-release workflow that has id-token: write, contents: read and a concurrency group', () => {
    const [first] = fencedBlocks(readme, 'yaml');
    const workflow = parseYaml(first ?? '').data as {
      on: { push: { tags: string[] } };
      permissions: Record<string, string>;
      concurrency: { group: string };
    };
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(workflow.concurrency.group).toContain('${{ github.ref_name }}');
  });

  it('states the performance targets without placeholders', () => {
    const section = readme.slice(readme.indexOf('## Performance'), readme.indexOf('## Try it locally'));
    for (const target of ['8×', '120 ms', '150 MB', '1 GiB']) expect(section).toContain(target);
    expect(section).not.toMatch(/TBD|TODO|XX|\?\?/);
  });
});

describe('npm run local', () => {
  const { accessKeyId, secretAccessKey } = DEFAULT_STATIC_CREDENTIAL;

  it.each(['README.md', 'docs/local-testing.md'])(
    "%s gives it the emulator's static key pair and no role-to-assume (it has no OIDC)",
    (file) => {
      const text = read(file);
      const section = text.slice(text.indexOf('npm run local`'));
      const env = fencedBlocks(section, 'sh').find((block) => block.includes('GITHUB_REPOSITORY=')) ?? '';
      expect(env).toContain(`AWS_ACCESS_KEY_ID=${accessKeyId}\nAWS_SECRET_ACCESS_KEY=${secretAccessKey}\n`);
      expect(env).not.toContain('INPUT_ROLE-TO-ASSUME');
      expect(section).toContain('OidcTokenFailed');
    },
  );

  it('runs the pinned @github/local-action, not npx', () => {
    const pkg = JSON.parse(read('package.json')) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.scripts.local).toBe('local-action . src/main.ts .env');
    expect(pkg.devDependencies['@github/local-action']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('the Markdown helpers', () => {
  it.each([
    ['Try it locally / Development', 'try-it-locally--development'],
    ['`CREATE_FAILED`', 'create_failed'],
    [
      '1. Add GitHub as an OIDC identity provider (once per account)',
      '1-add-github-as-an-oidc-identity-provider-once-per-account',
    ],
    ['AWS setup: the two roles', 'aws-setup-the-two-roles'],
  ])('slug(%s) is %s', (heading, expected) => {
    expect(slug(heading)).toBe(expected);
  });

  it('numbers repeated headings and ignores fenced ones', () => {
    expect([...anchors('# A\n## A\n```\n# B\n```\n### a')]).toEqual(['a', 'a-1', 'a-2']);
  });

  it('finds links outside code', () => {
    expect(links('[x](a.md) `[y](b.md)`\n```\n[z](c.md)\n```\n[w](#top)')).toEqual(['a.md', '#top']);
  });
});
