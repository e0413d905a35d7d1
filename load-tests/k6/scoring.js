/* global __ENV, __ITER */
// k6 load test of the instant scoring path (R3–R5): POST /api/applications.
// Run against a running product: k6 run -e BASE_URL=http://127.0.0.1:3000 load-tests/k6/scoring.js
// The Node driver (src/driver.ts) runs the same scenario where k6 is not installed.
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const EMAIL = __ENV.EXPORTER_EMAIL || 'exporter@demo.test';
const PASSWORD = __ENV.EXPORTER_PASSWORD || 'demo-password-2026';

export const options = {
  scenarios: {
    apply: {
      executor: 'constant-vus',
      vus: Number(__ENV.VUS || 8),
      duration: __ENV.DURATION || '30s',
    },
  },
  thresholds: {
    // a product target, reported by k6; CI does not run k6 (shared machines are too noisy)
    'http_req_duration{name:apply}': ['p(95)<100'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  const res = http.post(
    `${BASE_URL}/api/auth/login`,
    JSON.stringify({ email: EMAIL, password: PASSWORD }),
    {
      headers: { 'content-type': 'application/json' },
    },
  );
  check(res, { 'logged in': (r) => r.status === 200 });
  return { cookie: res.headers['Set-Cookie'].split(';')[0] };
}

const PACKAGES = [
  { packageCode: 'IHR-KOBI', amount: '1500000.00', currency: 'TRY', maturityMonths: 12 },
  { packageCode: 'ISLETME', amount: '250000.00', currency: 'USD', maturityMonths: 24 },
  { packageCode: 'YESIL', amount: '5000000.00', currency: 'TRY', maturityMonths: 60 },
];

export default function (data) {
  const body = {
    firmVkn: '0150015264',
    purpose: 'k6 yük testi',
    ...PACKAGES[__ITER % PACKAGES.length],
  };
  const res = http.post(`${BASE_URL}/api/applications`, JSON.stringify(body), {
    headers: { 'content-type': 'application/json', cookie: data.cookie },
    tags: { name: 'apply' },
  });
  check(res, {
    'decided at once': (r) => r.status === 201 && JSON.parse(r.body).decision !== undefined,
  });
}
