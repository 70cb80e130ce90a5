/**
 * The shared policy object (src/runtime/policy.ts): the checks a schema cannot express are
 * input_errors naming the full field path, the body sent to Mimecast holds exactly the keys given
 * (dates in +0000 form, targets with only the field their type uses), and a policy read back from
 * Mimecast becomes the same scope again.
 */
import { ConnectorError } from '../../src/base/errors.js';
import { checkPolicy, isCidr, policyScope, toMimecastPolicy, type PolicyInput } from '../../src/runtime/policy.js';

function refused(policy: PolicyInput, field = 'policy'): ConnectorError {
  try {
    checkPolicy(policy, field);
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    expect((e as ConnectorError).type).toBe('input_error');
    return e as ConnectorError;
  }
  throw new Error(`checkPolicy accepted ${JSON.stringify(policy)}`);
}

describe('isCidr', () => {
  it.each(['192.0.2.0/24', '10.0.0.1/32', '0.0.0.0/0', '2001:db8::/32', '::1/128', ' 198.51.100.0/24 '])('accepts %s', (cidr) => {
    expect(isCidr(cidr)).toBe(true);
  });

  it.each(['192.0.2.0', '192.0.2.0/33', '2001:db8::/129', '256.1.1.1/24', '192.0.2/24', '1.2.3.4/-1', 'example.com/24', '1.2.3.4/24/1', ''])(
    'refuses %j',
    (cidr) => {
      expect(isCidr(cidr)).toBe(false);
    },
  );
});

describe('checkPolicy', () => {
  const scope: PolicyInput = { description: 'Block a domain', from: { type: 'email_domain', emailDomain: 'bad.example' }, to: { type: 'everyone' } };

  it('accepts a complete policy', () => {
    expect(() =>
      checkPolicy(
        {
          ...scope,
          fromDate: '2024-10-12T18:30:00+0000',
          toDate: '2024-10-13T18:30:00+0000',
          conditions: { sourceIPs: ['192.0.2.0/24', '2001:db8::/32'], spfDomains: ['example.com'] },
        },
        'policy',
      ),
    ).not.toThrow();
    expect(() => checkPolicy({ comment: 'only a comment' }, 'policy')).not.toThrow();
  });

  it.each([
    [{ type: 'email_domain' }, 'emailDomain'],
    [{ type: 'individual_email_address' }, 'emailAddress'],
    [{ type: 'profile_group' }, 'groupId'],
    [{ type: 'address_attribute_value' }, 'attribute'],
    [{ type: 'header_display_name', headerDisplayName: '' }, 'headerDisplayName'],
  ])('refuses a target %j without the field its type needs', (target, needed) => {
    const e = refused({ ...scope, to: target as PolicyInput['to'] }, 'policy_information[3].policy');
    expect(e.field).toBe(`policy_information[3].policy.to.${needed}`);
    expect(e.message).toBe(`policy_information[3].policy.to.${needed} is required when type is ${(target as { type: string }).type}`);
  });

  it('names the first source IP that does not parse, by index', () => {
    const e = refused({ ...scope, conditions: { sourceIPs: ['192.0.2.0/24', '192.0.2.300/24'] } });
    expect(e.field).toBe('policy.conditions.sourceIPs[1]');
    expect(e.message).toBe('policy.conditions.sourceIPs[1] must be a CIDR range (192.0.2.0/24 or 2001:db8::/32): "192.0.2.300/24" does not parse');
  });

  it('refuses a date range that ends before it starts, naming toDate', () => {
    const e = refused({ ...scope, fromDate: '2024-10-12T18:30:00+0000', toDate: '2024-10-12T18:29:59+0000' }, 'policy_information');
    expect(e.field).toBe('policy_information.toDate');
    expect(e.message).toBe('policy_information.toDate (2024-10-12T18:29:59+0000) is before fromDate (2024-10-12T18:30:00+0000); the policy would never apply');
  });

  it('compares the moments, not the text (offsets count)', () => {
    // 10:00-02:00 is 12:00Z: after 11:00Z even though the text sorts first.
    expect(() => checkPolicy({ fromDate: '2024-10-12T11:00:00Z', toDate: '2024-10-12T10:00:00-02:00' }, 'policy')).not.toThrow();
    expect(refused({ fromDate: '2024-10-12T11:00:00Z', toDate: '2024-10-12T12:00:00+02:00' }).field).toBe('policy.toDate');
  });

  it('accepts a one-moment range (ends exactly when it starts)', () => {
    expect(() => checkPolicy({ fromDate: '2024-10-12T18:30:00+0000', toDate: '2024-10-12T18:30:00+0000' }, 'policy')).not.toThrow();
  });

  it('refuses a date combined with the eternal flag of the same side', () => {
    expect(refused({ fromDate: '2024-10-12T18:30:00+0000', fromEternal: true }).message).toBe(
      'policy.fromDate cannot be combined with fromEternal true (give one or the other)',
    );
    expect(refused({ toDate: '2024-10-12T18:30:00+0000', toEternal: true }).field).toBe('policy.toDate');
    expect(() => checkPolicy({ fromDate: '2024-10-12T18:30:00+0000', fromEternal: false, toEternal: true }, 'policy')).not.toThrow();
  });

  it('refuses a date that does not parse', () => {
    expect(refused({ fromDate: '2024-02-31T00:00:00Z' }).field).toBe('policy.fromDate');
  });
});

describe('toMimecastPolicy', () => {
  it('sends exactly the keys given, targets with only their own field, dates in +0000 form', () => {
    expect(
      toMimecastPolicy({
        description: 'Block a domain',
        fromPart: 'both',
        from: { type: 'email_domain', emailDomain: 'bad.example', emailAddress: 'stray@x.example' },
        to: { type: 'everyone', groupId: 'stray' },
        fromDate: '2024-10-12T20:30:00+02:00',
        toDate: '2024-10-13T18:30:00Z',
        override: true,
        bidirectional: false,
        enabled: true,
        enforced: false,
        comment: 'ticket 42',
        conditions: { sourceIPs: ['192.0.2.0/24'], spfDomains: ['example.com'] },
      }),
    ).toEqual({
      description: 'Block a domain',
      fromPart: 'both',
      from: { type: 'email_domain', emailDomain: 'bad.example' },
      to: { type: 'everyone' },
      fromDate: '2024-10-12T18:30:00+0000',
      toDate: '2024-10-13T18:30:00+0000',
      override: true,
      bidirectional: false,
      enabled: true,
      enforced: false,
      comment: 'ticket 42',
      conditions: { sourceIPs: ['192.0.2.0/24'], spfDomains: ['example.com'] },
    });
  });

  it('omits what was not given (no nulls, no empty conditions)', () => {
    expect(toMimecastPolicy({ comment: 'only this', conditions: {} })).toEqual({ comment: 'only this' });
    expect(JSON.stringify(toMimecastPolicy({ description: 'd', fromEternal: false }))).toBe('{"description":"d","fromEternal":false}');
  });

  it("keeps each target type's own field", () => {
    const body = toMimecastPolicy({
      from: { type: 'address_attribute_value', attribute: { id: 'attr-1', name: 'department', value: 'finance' } },
      to: { type: 'profile_group', groupId: 'group-1' },
    });
    expect(body).toEqual({
      from: { type: 'address_attribute_value', attribute: { id: 'attr-1', name: 'department', value: 'finance' } },
      to: { type: 'profile_group', groupId: 'group-1' },
    });
    expect(
      toMimecastPolicy({
        from: { type: 'header_display_name', headerDisplayName: 'CEO' },
        to: { type: 'individual_email_address', emailAddress: 'a@b.example' },
      }),
    ).toEqual({
      from: { type: 'header_display_name', headerDisplayName: 'CEO' },
      to: { type: 'individual_email_address', emailAddress: 'a@b.example' },
    });
  });
});

describe('policyScope', () => {
  // The shape get-policy returns (src/simulator/fixtures/api-policy-antispoofing-bypass-create-policy.json).
  const read = {
    description: 'test',
    fromPart: 'envelope_from',
    from: { type: 'email_domain', emailDomain: 'googl.com' },
    to: { type: 'profile_group', group: { id: 'group-7', description: 'Finance' } },
    fromType: 'email_domain',
    fromValue: 'googl.com',
    toType: 'profile_group',
    fromDate: '2024-05-25T14:39:12+0000',
    toDate: '2100-01-01T23:59:59+0000',
    fromEternal: false,
    toEternal: true,
    override: false,
    bidirectional: true,
    conditions: { spfDomains: ['google.com'], hostnames: ['mx.googl.com'], sourceIPs: [] },
    enabled: false,
    enforced: false,
    comment: 'original comment',
    createTime: '2024-05-26T14:39:13+0000',
    lastUpdated: '2024-05-26T14:39:13+0000',
  };

  it('copies the scope only: targets, dates (an eternal side keeps only its flag), bidirectional, every condition list', () => {
    expect(policyScope(read)).toEqual({
      description: 'test',
      fromPart: 'envelope_from',
      from: { type: 'email_domain', emailDomain: 'googl.com' },
      to: { type: 'profile_group', groupId: 'group-7' },
      fromDate: '2024-05-25T14:39:12+0000',
      fromEternal: false,
      toEternal: true,
      bidirectional: true,
      conditions: { spfDomains: ['google.com'], hostnames: ['mx.googl.com'] },
    });
  });

  it('round-trips through toMimecastPolicy and passes checkPolicy', () => {
    const scope = policyScope(read);
    expect(() => checkPolicy(scope, 'policy')).not.toThrow();
    expect(toMimecastPolicy(scope)).toEqual(scope);
  });

  it("reads an eternal policy with Mimecast's stand-in dates as eternal on both sides", () => {
    expect(
      policyScope({
        description: 'd',
        from: { type: 'everyone' },
        to: { type: 'everyone' },
        fromDate: '1900-01-01T00:00:00+0000',
        toDate: '2100-01-01T23:59:59+0000',
        fromEternal: true,
        toEternal: true,
      }),
    ).toEqual({ description: 'd', from: { type: 'everyone' }, to: { type: 'everyone' }, fromEternal: true, toEternal: true });
  });

  it('gives an empty scope for something that is not a policy', () => {
    expect(policyScope(undefined)).toEqual({});
    expect(policyScope({ from: { type: 'nonsense' } })).toEqual({});
  });
});
