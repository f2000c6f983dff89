#!/usr/bin/env bash
# Fails when a tracked C++ file is not laid out as .clang-format says (clang-format 14, from
# Debian's clang-format package). To fix: git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run -Werror
