/**
 * Jest setup: the tests talk to loopback servers only, so a proxy set in the developer's shell
 * (HTTPS_PROXY and friends, which the connector honours) must not route them elsewhere. The proxy
 * tests give their proxy settings explicitly (RunOptions.env, or the child's environment).
 */
for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) delete process.env[name];
