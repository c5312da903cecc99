#!/usr/bin/env python3
"""Helpers of tests/e2e/ops_http.sh: an HTTP client and a Prometheus text-format checker.

    prom.py fetch METHOD URL            prints the status code, then the body
    prom.py check FILE "EXPR" ...       parses FILE as Prometheus text format 0.0.4 and
                                        checks each "NAME{LABELS} OP NUMBER" (OP: == >= <=)
Parsing is strict: a sample whose family has no HELP and TYPE or that is not in its
family's group, a family declared twice, a bad line, or a value that is not a number fails. Exit 1 with the reasons when anything fails.
"""
import re
import sys
import urllib.error
import urllib.request

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+]+|NaN|[+-]Inf)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def fetch(method, url):
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            print(response.status)
            print(response.read().decode())
    except urllib.error.HTTPError as e:
        print(e.code)
        print(e.read().decode())


def labels_of(text):
    labels, pos = {}, 0
    while pos < len(text):
        m = LABEL.match(text, pos)
        if not m:
            raise ValueError("bad labels: " + text)
        labels[m.group(1)] = m.group(2)
        pos = m.end()
    return labels


def parse(text):
    helps, types, samples, errors = set(), {}, {}, []
    current = None  # the family whose TYPE came last: its samples must follow it together
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("# HELP "):
            helps.add(line.split()[2])
            continue
        if line.startswith("# TYPE "):
            parts = line.split()
            if len(parts) != 4 or parts[3] not in ("counter", "gauge", "histogram", "summary", "untyped"):
                errors.append("line %d: bad TYPE" % number)
            else:
                if parts[2] in types:
                    errors.append("line %d: family %s declared twice" % (number, parts[2]))
                types[parts[2]] = parts[3]
                current = parts[2]
            continue
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            errors.append("line %d: not a sample: %s" % (number, line))
            continue
        name = m.group(1)
        if name not in helps or name not in types:
            errors.append("line %d: %s has no HELP/TYPE" % (number, name))
        elif name != current:
            errors.append("line %d: a sample of %s outside its family's group" % (number, name))
        labels = labels_of(m.group(3) or "")
        samples[(name, tuple(sorted(labels.items())))] = float(m.group(4))
    return samples, errors


def check(path, expressions):
    samples, errors = parse(open(path).read())
    results = []
    for expression in expressions:
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (==|>=|<=) (-?[0-9.]+)$', expression)
        if not m:
            errors.append("bad check: " + expression)
            continue
        key = (m.group(1), tuple(sorted(labels_of(m.group(3) or "").items())))
        if key not in samples:
            errors.append("no sample " + expression.split(" ")[0])
            continue
        value, want = samples[key], float(m.group(5))
        ok = {"==": value == want, ">=": value >= want, "<=": value <= want}[m.group(4)]
        results.append("%s=%g" % (m.group(1), value))
        if not ok:
            errors.append("%s is %g" % (expression, value))
    if errors:
        print("; ".join(errors))
        sys.exit(1)
    print("%d checks ok" % len(expressions))


def main():
    if sys.argv[1] == "fetch":
        fetch(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
