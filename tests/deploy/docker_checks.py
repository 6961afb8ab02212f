#!/usr/bin/python3
"""Checks of the container images that need no Docker daemon.

  docker_checks.py static              the Dockerfiles: base images, COPY sources,
                                       non-root numeric USER, version ARG and OCI
                                       label, apt package names real in Debian 12
  docker_checks.py context             the build context .dockerignore leaves: small,
                                       without build trees, tests, .git …; and it
                                       configures with CMake as the image build does
  docker_checks.py libraries BUILD_DIR the runtime packages cover every shared
                                       library `ldd` reports for the built binaries

Each subcommand also runs its checks on a deliberately broken input and fails
unless they catch it. Exit status 0 = all good. Uses only Debian's python3.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DOCKERFILES = ["docker/ingest.Dockerfile", "docker/report.Dockerfile", "docker/migrate.Dockerfile"]
IMAGE_UID = "10001:10001"
DEBIAN12_IMAGES = re.compile(r"^(docker\.io/(library/)?)?debian:(12|bookworm)(-slim)?(@sha256:[0-9a-f]{64})?$")
# In debian:12-slim already, and pulled in by every C++ library anyway.
BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}


# ------------------------------------------------------------------ parsing

class Stage:
    def __init__(self, index, image, name):
        self.index, self.image, self.name = index, image, name
        self.instructions = []  # (keyword, rest)


def parse_dockerfile(text):
    """Returns the stages of a Dockerfile: FROM … [AS name] and their instructions."""
    logical, buf = [], ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if buf and line.lstrip().startswith("#"):
            continue  # comment lines inside a continued instruction
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        logical.append(buf + line)
        buf = ""
    if buf:
        logical.append(buf)
    stages, global_args = [], []
    for line in logical:
        keyword, _, rest = line.strip().partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "FROM":
            m = re.match(r"^(?:--platform=\S+\s+)?(\S+)(?:\s+[Aa][Ss]\s+(\S+))?$", rest)
            stages.append(Stage(len(stages), m.group(1) if m else rest, m.group(2) if m else None))
        elif not stages:
            global_args.append((keyword, rest))
        else:
            stages[-1].instructions.append((keyword, rest))
    return stages, global_args


def apt_packages(run):
    """Package names an `apt-get install …` in a RUN instruction installs."""
    out = []
    for segment in re.split(r"&&|;|\|\|", run):
        words = segment.split()
        if "apt-get" in words and "install" in words:
            for w in words[words.index("install") + 1:]:
                if not w.startswith("-"):
                    out.append(w.split("=")[0])
    return out


def stage_packages(stage):
    return [p for k, rest in stage.instructions if k == "RUN" for p in apt_packages(rest)]


def copies(stage):
    """(from_stage or None, [sources], dest) for each COPY/ADD."""
    out = []
    for k, rest in stage.instructions:
        if k not in ("COPY", "ADD"):
            continue
        words = rest.split()
        flags = [w for w in words if w.startswith("--")]
        args = [w for w in words if not w.startswith("--")]
        src_from = next((f.split("=", 1)[1] for f in flags if f.startswith("--from=")), None)
        out.append((k, src_from, args[:-1], args[-1] if args else ""))
    return out


def cmake_version():
    text = open(os.path.join(REPO, "CMakeLists.txt")).read()
    return re.search(r"^project\(pledgebook VERSION ([0-9.]+)", text, re.M).group(1)


# ------------------------------------------------------------------ .dockerignore

def ignore_patterns(path=os.path.join(REPO, ".dockerignore")):
    pats = []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        p = os.path.normpath(line[1:] if negate else line).lstrip("/")
        pats.append((negate, p, pattern_regex(p)))
    return pats


def pattern_regex(p):
    out, i = "", 0
    while i < len(p):
        if p.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif p.startswith("**", i):
            out += ".*"
            i += 2
        elif p[i] == "*":
            out += "[^/]*"
            i += 1
        elif p[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(p[i])
            i += 1
    return re.compile("^" + out + "$")


def excluded(rel, pats):
    """Docker's rule: the last pattern matching the path or a parent wins."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for negate, _, rx in pats:
        if any(rx.match(p) for p in prefixes):
            result = not negate
    return result


def context_files(pats):
    """The files `docker build .` would send, with their sizes."""
    files = {}
    reincluding = [p for neg, p, _ in pats if neg]
    for root, dirs, names in os.walk(REPO):
        rel_root = os.path.relpath(root, REPO)
        rel_root = "" if rel_root == "." else rel_root
        keep = []
        for d in dirs:
            rel = f"{rel_root}/{d}" if rel_root else d
            could_come_back = any(p.startswith(rel + "/") or p.startswith("**") for p in reincluding)
            if excluded(rel, pats) and not could_come_back:
                continue
            keep.append(d)
        dirs[:] = keep
        for n in names:
            rel = f"{rel_root}/{n}" if rel_root else n
            full = os.path.join(root, n)
            if not excluded(rel, pats) and os.path.isfile(full):
                files[rel] = os.path.getsize(full)
    return files


# ------------------------------------------------------------------ checks

_APT = {}


def apt_show(*pkgs):
    """{package: {"source": …}} for those of `pkgs` that are real (not purely
    virtual) packages in the apt lists; one apt-cache call for all of them."""
    todo = [p for p in pkgs if p not in _APT]
    if todo:
        r = subprocess.run(["apt-cache", "show", "--no-all-versions", *todo], capture_output=True, text=True)
        for p in todo:
            _APT[p] = None
        for record in r.stdout.split("\n\n"):
            m = re.search(r"^Package: (\S+)$", record, re.M)
            if m and m.group(1) in _APT:
                src = re.search(r"^Source: (\S+)", record, re.M)
                _APT[m.group(1)] = {"source": src.group(1) if src else m.group(1)}
    return {p: _APT[p] for p in pkgs}


def check_dockerfile(rel, text, pats):
    v = []
    stages, global_args = parse_dockerfile(text)
    names = {s.name for s in stages if s.name}
    if len(stages) < 2:
        return [f"{rel}: not a multi-stage build"]
    for s in stages:
        if s.image not in names and not DEBIAN12_IMAGES.match(s.image):
            v.append(f"{rel}: FROM {s.image} is not Debian 12")
    if not re.match(r"^(\S*/)?debian:(12|bookworm)(@|$)", stages[0].image):
        v.append(f"{rel}: the build stage must be debian:12, not {stages[0].image}")
    final = stages[-1]
    if not re.match(r"^(\S*/)?debian:(12|bookworm)-slim(@|$)", final.image):
        v.append(f"{rel}: the runtime stage must be debian:12-slim, not {final.image}")
    users = [rest for k, rest in final.instructions if k == "USER"]
    if not users:
        v.append(f"{rel}: no USER in the runtime stage (runs as root)")
    elif not re.match(r"^[1-9][0-9]*(:[1-9][0-9]*)?$", users[-1]):
        v.append(f"{rel}: USER {users[-1]} is not a numeric non-root uid:gid")
    elif users[-1] != IMAGE_UID:
        v.append(f"{rel}: USER {users[-1]}, the manifests run as {IMAGE_UID}")
    entry = [rest for k, rest in final.instructions if k == "ENTRYPOINT"]
    if not entry or not entry[-1].startswith("["):
        v.append(f"{rel}: ENTRYPOINT must be in exec (JSON) form, so the binary gets SIGTERM")
    else:
        binary = json.loads(entry[-1])[0]
        if not any(dest == binary for _, src_from, _, dest in copies(final) if src_from):
            v.append(f"{rel}: ENTRYPOINT {binary} is not copied from the build stage")
    # Version: a build ARG, checked against the sources, as an OCI label.
    version_args = [rest for s in stages for k, rest in s.instructions if k == "ARG" and rest.startswith("PLEDGEBOOK_VERSION")]
    defaults = {a.split("=", 1)[1] for a in version_args if "=" in a}
    if not version_args:
        v.append(f"{rel}: no ARG PLEDGEBOOK_VERSION")
    elif defaults != {cmake_version()}:
        v.append(f"{rel}: ARG PLEDGEBOOK_VERSION defaults to {sorted(defaults)}, CMakeLists.txt says {cmake_version()}")
    final_args = [rest.split("=")[0] for k, rest in final.instructions if k == "ARG"]
    labels = " ".join(rest for k, rest in final.instructions if k == "LABEL")
    if "PLEDGEBOOK_VERSION" not in final_args or 'org.opencontainers.image.version="${PLEDGEBOOK_VERSION}"' not in labels:
        v.append(f"{rel}: the runtime stage lacks the label org.opencontainers.image.version=${{PLEDGEBOOK_VERSION}}")
    # Sources: COPY only (no ADD), from the context or an earlier stage.
    for s in stages:
        for k, src_from, sources, dest in copies(s):
            if k == "ADD":
                v.append(f"{rel}: ADD {' '.join(sources)}: use COPY (no remote or auto-extracted sources)")
            if src_from:
                earlier = {x.name for x in stages[: s.index] if x.name} | {str(x.index) for x in stages[: s.index]}
                if src_from not in earlier:
                    v.append(f"{rel}: COPY --from={src_from} names no earlier stage")
                continue
            for src in sources:
                path = os.path.join(REPO, src)
                if src.startswith(("http://", "https://")) or not os.path.exists(path):
                    v.append(f"{rel}: COPY source {src} does not exist")
                elif excluded(os.path.normpath(src), pats):
                    v.append(f"{rel}: COPY source {src} is excluded by .dockerignore")
        for k, rest in s.instructions:
            if k == "RUN" and re.search(r"\b(curl|wget|git\s+clone)\b", rest):
                v.append(f"{rel}: RUN downloads outside apt: {rest[:60]}")
            if k == "RUN" and "apt-get install" in rest and "--no-install-recommends" not in rest:
                v.append(f"{rel}: apt-get install without --no-install-recommends")
    # Packages: real Debian 12 names; a -dev package from each runtime library's source.
    build_pkgs, runtime_pkgs = stage_packages(stages[0]), stage_packages(final)
    if not runtime_pkgs:
        v.append(f"{rel}: the runtime stage installs no runtime libraries")
    info = apt_show(*sorted(set(build_pkgs + runtime_pkgs)))
    for p in sorted(info):
        if info[p] is None:
            v.append(f"{rel}: {p} is not a Debian 12 package (apt-cache show)")
    for p in runtime_pkgs:
        if p.endswith("-dev") or p in ("build-essential", "cmake", "g++", "gcc", "ninja-build"):
            v.append(f"{rel}: build tool {p} in the runtime image")
        src = info.get(p) and info[p]["source"]
        if src and not any(info.get(b) and info[b]["source"] == src for b in build_pkgs):
            v.append(f"{rel}: runtime package {p} (source {src}) has no -dev package in the build stage")
    if not any("rm -rf /var/lib/apt/lists" in rest for k, rest in final.instructions if k == "RUN"):
        v.append(f"{rel}: the runtime stage keeps the apt lists")
    return v


def static_checks():
    v = []
    with open("/etc/os-release") as f:
        if "VERSION_CODENAME=bookworm" not in f.read():
            return ["the package names must be checked on Debian 12 (bookworm)"]
    if apt_show("libc6")["libc6"] is None:
        return ["apt-cache knows no packages: run `apt-get update` (scripts/install-deps.sh does)"]
    pats = ignore_patterns()
    builds, copy_sets = {}, {}
    for rel in DOCKERFILES:
        text = open(os.path.join(REPO, rel)).read()
        v += check_dockerfile(rel, text, pats)
        stages, _ = parse_dockerfile(text)
        builds[rel] = sorted(stage_packages(stages[0]))
        copy_sets[rel] = [c for c in copies(stages[0]) if not c[1]]
    # The three build stages stay identical, so they cannot drift apart.
    first = DOCKERFILES[0]
    for rel in DOCKERFILES[1:]:
        if builds[rel] != builds[first]:
            v.append(f"{rel}: build packages differ from {first}")
        if copy_sets[rel] != copy_sets[first]:
            v.append(f"{rel}: COPY instructions differ from {first}")
    return v


def broken_dockerfile_is_caught():
    text = open(os.path.join(HERE, "fixtures", "broken.Dockerfile")).read()
    v = check_dockerfile("fixtures/broken.Dockerfile", text, ignore_patterns())
    expected = [
        "FROM ubuntu:22.04 is not Debian 12",
        "the runtime stage must be debian:12-slim",
        "USER root is not a numeric non-root uid:gid",
        "ENTRYPOINT must be in exec (JSON) form",
        "no ARG PLEDGEBOOK_VERSION",
        "lacks the label org.opencontainers.image.version",
        "ADD https://example.invalid/tool.tar.gz",
        "COPY source no-such-folder/ does not exist",
        "COPY source tests/gold/ is excluded by .dockerignore",
        "COPY --from=builder names no earlier stage",
        "libgrpc++9.99 is not a Debian 12 package",
        "build tool build-essential in the runtime image",
        "RUN downloads outside apt",
        "apt-get install without --no-install-recommends",
    ]
    missing = [e for e in expected if not any(e in x for x in v)]
    return [f"fixtures/broken.Dockerfile: not reported: {e}" for e in missing], v


# ------------------------------------------------------------------ context

MUST_STAY_OUT = ["build", "build-deploy", "var", ".git", "tests", "tests/gold", "clients", "node_modules",
                 "deploy", "docs", "scripts/install-deps.sh"]
MAX_CONTEXT_BYTES = 20 << 20


def context_checks():
    v = []
    pats = ignore_patterns()
    files = context_files(pats)
    total = sum(files.values())
    print(f"build context: {len(files)} files, {total / 1e6:.1f} MB")
    for p in MUST_STAY_OUT:
        if not excluded(p, pats) or not excluded(p + "/x", pats):
            v.append(f".dockerignore lets {p} into the build context")
    for f in files:
        if re.search(r"(^|/)(node_modules|build[^/]*|__pycache__)/", f):
            v.append(f"build context contains {f}")
            break
    if total > MAX_CONTEXT_BYTES:
        v.append(f"build context is {total / 1e6:.1f} MB (limit {MAX_CONTEXT_BYTES / 1e6:.0f} MB)")
    if not files:
        return v + ["the build context is empty"]
    # The image build's view: only what the build stage COPYs, laid out as in
    # the image (WORKDIR /src); it must configure as `cmake` does there.
    stages, _ = parse_dockerfile(open(os.path.join(REPO, DOCKERFILES[0])).read())
    work = tempfile.mkdtemp(prefix="pledgebook-context-", dir=os.environ.get("DEPLOY_WORK_DIR"))
    try:
        src = os.path.join(work, "src")
        os.makedirs(src)
        for _, src_from, sources, dest in copies(stages[0]):
            if src_from:
                continue
            for s in sources:
                s = os.path.normpath(s)
                chosen = [f for f in files if f == s or f.startswith(s + "/")]
                if not chosen:
                    v.append(f"COPY {s}: nothing of it is in the build context")
                is_dir = os.path.isdir(os.path.join(REPO, s))
                for f in chosen:
                    if is_dir:  # a folder's contents go into dest
                        target = os.path.join(src, dest, os.path.relpath(f, s))
                    elif dest.endswith("/") or dest in (".", "./"):
                        target = os.path.join(src, dest, os.path.basename(f))
                    else:
                        target = os.path.join(src, dest)
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copy2(os.path.join(REPO, f), target)
        def configure(build):
            return subprocess.run(["cmake", "-S", src, "-B", os.path.join(work, build), "-G", "Ninja",
                                   "-DCMAKE_BUILD_TYPE=Release", "-DPLEDGEBOOK_BUILD_TESTS=OFF",
                                   "-DPLEDGEBOOK_BUILD_BENCH=OFF"], capture_output=True, text=True)
        r = configure("build")
        if r.returncode != 0:
            v.append("the build stage's sources do not configure (a folder missing from the COPY lines or "
                     ".dockerignore?):\n" + (r.stdout + r.stderr)[-3000:])
        else:
            print(f"the build stage's sources ({sum(len(f) for _, _, f in os.walk(src))} files) configure with CMake")
            v += used_packages_installed(os.path.join(work, "build", "CMakeCache.txt"), stage_packages(stages[0]))
            # The check can fail: without one of the copied folders it must.
            shutil.rmtree(os.path.join(src, "cli"))
            if configure("build-without-cli").returncode == 0:
                v.append("configure self-check: the sources configured without cli/")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # And the pattern matcher itself can fail: an allowlist without the
    # source folders would leave them out.
    bad = [(False, "*", pattern_regex("*"))]
    if not excluded("common/config.cc", bad) or excluded("common/config.cc", bad + [(True, "common", pattern_regex("common"))]):
        v.append(".dockerignore matcher self-check failed")
    return v


def used_packages_installed(cache_file, build_packages):
    """Every file the configure step found (compilers, protoc, libraries,
    pkg-config and CMake package files: the absolute paths in CMakeCache.txt)
    belongs to a package the image's build stage installs, directly or as a
    dependency. This machine has more installed than the image will."""
    files = set()
    for line in open(cache_file):
        m = re.match(r"^([A-Za-z0-9_.+-]+):(FILEPATH|PATH|STRING|INTERNAL)=(/\S+)$", line.strip())
        if not m or m.group(1).startswith(("CMAKE_INSTALL", "CMAKE_HOME", "CMAKE_CACHEFILE")):
            continue
        path = m.group(3)
        if os.path.isfile(path):
            files.add(path)
        elif os.path.isdir(path) and re.search(r"/cmake/[^/]+/?$", path):
            configs = sorted(f for f in os.listdir(path) if f.lower().endswith("config.cmake"))
            if configs:
                files.add(os.path.join(path, configs[0]))
    owners = owners_of(sorted(f for f in files if f.startswith("/usr/") or f.startswith("/lib")))
    # Essential packages (coreutils, bash, …) are in every Debian image.
    essential = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Essential}\\n"], capture_output=True,
                               text=True).stdout
    installed = closure(build_packages) | {l.split()[0] for l in essential.splitlines() if l.endswith(" yes")}
    v = [f"the image's build stage lacks {pkg}: CMake used {path} (add it to the Dockerfiles' build packages)"
         for path, pkg in sorted(owners.items()) if pkg and pkg not in installed]
    if not v:
        print(f"CMake used {len(owners)} files from {len(set(p for p in owners.values() if p))} packages, "
              "all installed by the build stage")
        # The check can fail: without libpqxx-dev in the build stage it must.
        reduced = (closure([b for b in build_packages if b != "libpqxx-dev"]) | installed) - {"libpqxx-dev"}
        if all(p is None or p in reduced for p in owners.values()):
            v.append("build-package self-check: dropping libpqxx-dev went unnoticed")
    return v


# ------------------------------------------------------------------ libraries

_OWNERS = {}


def owners_of(paths):
    """{path: Debian package owning it} via batched `dpkg -S`; with merged /usr,
    ldd's /lib/x86_64-linux-gnu/… is registered as /usr/lib/… (or the reverse)."""
    def alternatives(p):
        return [p, p[4:] if p.startswith("/usr/") else "/usr" + p, os.path.realpath(p)]
    for round_ in range(3):
        todo = {}
        for p in paths:
            if _OWNERS.get(p) is None:
                todo[alternatives(p)[round_]] = p
        if not todo:
            break
        r = subprocess.run(["dpkg", "-S", *todo], capture_output=True, text=True)
        for line in r.stdout.splitlines():
            pkgs, _, path = line.partition(": ")
            if path in todo:
                _OWNERS[todo[path]] = pkgs.split(",")[0].split(":")[0].strip()
    return {p: _OWNERS.get(p) for p in paths}


def ldd_packages(binary):
    r = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True)
    libs, missing = {}, []
    for line in r.stdout.splitlines():
        m = re.match(r"\s*(\S+) => (\S+)", line)
        if m and m.group(2) == "not":
            missing.append(m.group(1))
        elif m:
            libs[m.group(1)] = m.group(2)
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]",
                            subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout))
    by_path = owners_of(list(libs.values()))
    owners = {so: by_path[path] for so, path in libs.items()}
    return owners, needed, missing


def closure(packages):
    r = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
                        "--no-breaks", "--no-replaces", "--no-enhances", *packages], capture_output=True, text=True)
    return {line.strip() for line in r.stdout.splitlines() if line and not line.startswith(" ") and not line.startswith("<")}


def coverage(rel, binary, runtime):
    """Violations of: every library's package is installed by the runtime
    list (directly for the binary's own NEEDED libraries), and every listed
    package provides one of the libraries."""
    v = []
    owners, needed, missing = ldd_packages(binary)
    for so in missing:
        v.append(f"{rel}: ldd finds no {so} for {os.path.basename(binary)} on this machine")
    installed = closure(runtime) | BASE_IMAGE_PACKAGES
    for so, pkg in sorted(owners.items()):
        if pkg is None:
            v.append(f"{rel}: no Debian package owns {so}")
        elif pkg not in installed:
            v.append(f"{rel}: {so} ({pkg}) is not installed by the runtime packages")
        elif so in needed and pkg not in runtime and pkg not in BASE_IMAGE_PACKAGES:
            v.append(f"{rel}: {os.path.basename(binary)} links {so} directly: list {pkg} explicitly")
    provided = set(owners.values())
    for p in runtime:
        if p not in provided:
            v.append(f"{rel}: runtime package {p} provides none of the binary's libraries")
    return v, owners


def library_checks(build_dir):
    v = []
    for rel in DOCKERFILES:
        stages, _ = parse_dockerfile(open(os.path.join(REPO, rel)).read())
        final = stages[-1]
        runtime = stage_packages(final)
        srcs = [s for _, src_from, sources, _ in copies(final) if src_from for s in sources]
        if len(srcs) != 1 or not srcs[0].startswith("/src/build/"):
            v.append(f"{rel}: expected one binary copied from /src/build/")
            continue
        binary = os.path.join(build_dir, srcs[0][len("/src/build/"):])
        if not os.path.exists(binary):
            v.append(f"{rel}: {binary} is not built")
            continue
        found, owners = coverage(rel, binary, runtime)
        v += found
        print(f"{rel}: {len(owners)} libraries from {len(set(owners.values()))} packages, "
              f"covered by {' '.join(runtime)}")
        if rel == DOCKERFILES[0] and not found:
            # The check can fail: without one listed library, or with a useless extra.
            dropped = [p for p in runtime if p != "libre2-9"]
            neg, _ = coverage(rel, binary, dropped)
            if not any("libre2-9" in x for x in neg):
                v.append("coverage self-check: dropping libre2-9 went unnoticed")
            neg, _ = coverage(rel, binary, runtime + ["libgumbo-dev"])
            if not any("libgumbo-dev provides none" in x for x in neg):
                v.append("coverage self-check: an unused package went unnoticed")
    return v


# ------------------------------------------------------------------ main

def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "static":
        v = static_checks()
        missed, _ = broken_dockerfile_is_caught()
        v += missed
    elif cmd == "context":
        v = context_checks()
    elif cmd == "libraries" and len(sys.argv) == 3:
        v = library_checks(sys.argv[2])
    else:
        print(__doc__)
        return 2
    for x in v:
        print("FAIL", x)
    print(f"docker {cmd}: {'ok' if not v else str(len(v)) + ' problem(s)'}")
    return 1 if v else 0


if __name__ == "__main__":
    sys.exit(main())
