#!/usr/bin/env python3
"""Every top-level error code the service raises is in the README's table, and every code the table
lists is raised somewhere: `error-codes.py SRC_DIR... README.md`.

Codes are read where the service sets them: `"code": "X"` in JSON bodies, `set("code", "X")` on
error extensions, the code argument of the `request_error(...)` and `refusal(...)` helpers, and the `=> "X"` arms of
`ApiError::code` and `request_error_code`."""
import pathlib
import re
import sys

*sources, readme = sys.argv[1:]
patterns = [
    re.compile(r'"code"\s*:\s*"([A-Z][A-Z_]+)"'),
    re.compile(r'set\(\s*"code"\s*,\s*"([A-Z][A-Z_]+)"\s*\)'),
    # A code passed as the last argument of a helper: `request_error(.., "X")`, `refusal(.., "X")`.
    re.compile(r'\b(?:request_error|refusal)\([^;]*?,\s*"([A-Z][A-Z_]+)",?\s*\)', re.S),
]
arm = re.compile(r'=>\s*"([A-Z][A-Z_]+)"')
raised = {}
for root in sources:
    for path in sorted(pathlib.Path(root).rglob("*.rs")):
        text = path.read_text()
        for p in patterns:
            for m in p.finditer(text):
                raised.setdefault(m.group(1), str(path))
        for fn in re.finditer(r'fn (code|request_error_code)\b.*?\n}', text, re.S):
            for m in arm.finditer(fn.group(0)):
                raised.setdefault(m.group(1), str(path))
        for m in re.finditer(r'\n\s*"([A-Z][A-Z_]+)"\n', "\n".join(
                f.group(0) for f in re.finditer(r'fn request_error_code\b.*?\n}', text, re.S))):
            raised.setdefault(m.group(1), str(path))

section = re.search(r"\*\*Error codes\.\*\*(.*?)\n\n(?!\|)", pathlib.Path(readme).read_text(), re.S)
if not section:
    sys.exit(f"{readme}: no **Error codes.** table")
documented = set(re.findall(r"^\| `([A-Z][A-Z_]+)` \|", section.group(1), re.M))

missing = sorted(set(raised) - documented)
stale = sorted(documented - set(raised))
for code in missing:
    print(f"{code} (raised in {raised[code]}) is not in the README's error-code table")
for code in stale:
    print(f"{code} is in the README's error-code table but nothing raises it")
print(f"{len(raised)} top-level error codes raised, {len(documented)} documented")
sys.exit(1 if missing or stale else 0)
