#!/usr/bin/env python3
"""Sends SPANS OpenTelemetry spans to an OTLP/HTTP receiver at 127.0.0.1:PORT, BATCH to a request (protobuf,
ExportTraceServiceRequest written field by field: no protobuf package needed). For ./bench.sh's span runs: 3
services, 10 operations, server and client spans, one in twenty an error, durations 1 ms to 3 s, every trace its own.

usage: eng/otlp-spans.py PORT SPANS [BATCH]
"""
import random
import struct
import sys
import urllib.request


def varint(n):
    out = b''
    while True:
        low, n = n & 0x7f, n >> 7
        if n:
            out += bytes([low | 0x80])
        else:
            return out + bytes([low])


def field(number, data):
    return varint(number << 3 | 2) + varint(len(data)) + data


def number(n, value):
    return varint(n << 3) + varint(value)


def fixed64(n, value):
    return varint(n << 3 | 1) + struct.pack('<Q', value)


def attribute(key, value):
    any_value = field(1, value.encode()) if isinstance(value, str) else number(3, value)
    return field(1, key.encode()) + field(2, any_value)


def main():
    port, spans = int(sys.argv[1]), int(sys.argv[2])
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    services = ['checkout', 'inventory', 'payments']
    routes = ['/api/items', '/api/items/{id}', '/cart', '/checkout', '/login', '/search', '/orders', '/orders/{id}', '/pay', '/health']
    rng = random.Random(36)
    start = 1_800_000_000_000_000_000
    sent = 0
    while sent < spans:
        by_service = {s: b'' for s in services}
        for _ in range(min(batch, spans - sent)):
            n = sent
            route = routes[n % len(routes)]
            error = n % 20 == 0
            span = (field(1, (n + 1).to_bytes(16, 'big')) + field(2, (n + 1).to_bytes(8, 'big')) + field(5, f'GET {route}'.encode())
                    + number(6, 3 if n % 3 == 0 else 2) + fixed64(7, start) + fixed64(8, start + (1 + rng.randrange(3000)) * 1_000_000)
                    + field(9, attribute('http.route', route)) + field(9, attribute('http.response.status_code', 500 if error else 200))
                    + (field(15, number(3, 2)) if error else b''))
            by_service[services[n % len(services)]] += field(2, span)
            sent += 1
        body = b''.join(field(1, field(1, field(1, attribute('service.name', s))) + field(2, field(1, field(1, b'bench')) + spans_of))
                        for s, spans_of in by_service.items() if spans_of)
        request = urllib.request.Request(f'http://127.0.0.1:{port}/v1/traces', data=body, headers={'Content-Type': 'application/x-protobuf'})
        with urllib.request.urlopen(request) as response:
            if response.status not in (200, 201):
                sys.exit(f'the receiver answered {response.status}')


if __name__ == '__main__':
    main()
