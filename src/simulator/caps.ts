/**
 * Mimecast's per-call item caps: how many data[] items one call of a route takes. A call over its
 * cap is refused whole, every item in fail[] with err_validation_max_items (HTTP 200), and nothing
 * of it is applied. The figures are the documented ones (mimecast-api.md §2.1, §3: decode-url
 * 1..25, permit-or-block 1..100, delete-policy 1..500, group writes ≤10, get-policy up to 500);
 * where Mimecast documents none the manifest's chunk_size is the connector's assumption, and is
 * modelled as the cap so a connector that outgrows it is caught here first.
 * (search-hash caps the hashes inside one item, not the items: remediation.ts.)
 */
export const CALL_CAPS: Readonly<Record<string, number>> = {
  'POST /api/ttp/url/decode-url': 25,
  'POST /api/managedsender/permit-or-block-sender': 100,
  'POST /api/directory/create-group': 10,
  'POST /api/directory/update-group': 10,
  'POST /api/directory/remove-group-member': 10,
  'POST /api/policy/address-alteration/create-policy': 50,
  'POST /api/policy/address-alteration/get-policy': 500,
  'POST /api/policy/address-alteration/delete-policy': 500,
  'POST /api/policy/antispoofing-bypass/create-policy': 50,
  'POST /api/policy/antispoofing-bypass/delete-policy': 500,
  'POST /api/policy/webwhiteurl/delete-policy-with-targets': 10,
  'POST /api/gateway/hold-release': 25,
  'POST /api/ttp/remediation/get-incident': 25,
};
