import { ENVIRONMENTS, REGISTRY } from '../../config/environments';
import { PolicyException } from '../../config/settings';
import { validateRegistry } from '../../config/validate';
import { problemsFrom, problemsOf } from '../support/settings';

const withExceptions = (exceptions: PolicyException[]) => ({ ...ENVIRONMENTS.prod, policy: { exceptions } });

describe('policy exceptions in the settings', () => {
  test('the committed settings are valid', () => {
    expect(problemsOf(ENVIRONMENTS.prod)).toEqual([]);
    expect(problemsFrom(() => validateRegistry(REGISTRY))).toEqual([]);
  });

  test('an exception without a written reason is refused, naming the field', () => {
    expect(problemsOf(withExceptions([{ control: 'EC2.15', reason: '' }]))).toEqual([
      'prod.policy.exceptions[0].reason: got "", expected a written reason of 10 or more characters: why the finding is accepted, and the issue item that removes it',
    ]);
    expect(problemsOf(withExceptions([{ control: 'EC2.15', reason: 'because' }]))).toEqual([expect.stringMatching(/^prod\.policy\.exceptions\[0\]\.reason: got "because"/)]);
  });

  test('an unknown control is refused with the list of controls', () => {
    expect(problemsOf(withExceptions([{ control: 'S3.99', reason: 'a long enough reason' }]))).toEqual([expect.stringMatching(/^prod\.policy\.exceptions\[0\]\.control: got "S3\.99", expected a control the policy checks \(docs\/policy\.md\): EC2\.2, EC2\.6, /)]);
  });

  test('a resource must name its stack; duplicates are refused', () => {
    expect(problemsOf(withExceptions([{ control: 'EC2.15', resource: 'aws_subnet.public', reason: 'a long enough reason' }]))).toEqual([
      'prod.policy.exceptions[0].resource: got "aws_subnet.public", expected "<stack>/<terraform address>" such as "data/aws_db_instance.*", or a construct path; omit it to cover every resource',
    ]);
    const twice: PolicyException = { control: 'EC2.15', resource: 'network/aws_subnet.public', reason: 'a long enough reason' };
    expect(problemsOf(withExceptions([twice, twice]))).toEqual(['prod.policy.exceptions[1]: got "EC2.15 on network/aws_subnet.public", expected one exception per control and resource']);
  });

  test('account-wide exceptions are checked the same way, as registry.policy', () => {
    expect(problemsFrom(() => validateRegistry({ ...REGISTRY, policy: { exceptions: [{ control: 'EC2.2', reason: ' ' }] } }))).toEqual([expect.stringMatching(/^registry\.policy\.exceptions\[0\]\.reason: got " "/)]);
  });
});
