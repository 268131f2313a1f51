#!/usr/bin/env bash
# petscsnapshot-info (issue 13): identifies and verifies files through the library; exit 0 on a good file, 1 on each
# kind of damaged file (test_hdf5_faults -mode corrupt and test_hdf5_topologies wrote them), on a foreign HDF5 file and
# on a file that is not HDF5; explains every attribute it prints; says whether the file restarts on another rank count;
# --json parses and agrees. Usage: info_tool.sh <tool> <tests build dir>. Prints "N passed, M failed".
set -u
tool=$1 dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
verdict() { if [ "$1" = 0 ]; then echo "ok: $2"; passed=$((passed + 1)); else echo "FAIL: $2"; failed=$((failed + 1)); fi; }
good=$dir/hdf5_np3/restart-ckpt.h5 # written on 3 ranks with a DMPlex, a swarm and a TS
"$tool" --verify "$good" > "$work/good.txt" 2>&1; rc=$?
verdict $rc "good file (3 writers): --verify exits 0"
verdict $(grep -q '^22 checks passed, 0 failed: the file is intact$' "$work/good.txt"; echo $?) "good file: its seal, 19 datasets (two of them PetscDS constants), /topologies and the library's verification pass (22 checks)"
verdict $(grep -qE '^  ok   the whole file \(its seal: one XXH3-64 over [0-9]+ bytes\)$' "$work/good.txt"; echo $?) "good file: the whole-file checksum (seal) verified"
verdict $(grep -q 'ok   the library reads and verifies it as a restore does' "$work/good.txt"; echo $?) "good file: verified through the library (PetscSnapshotHDF5Verify)"
verdict $(grep -q '^  written by 3 MPI ranks' "$work/good.txt" && grep -q 'on another number of ranks: yes, through PETSc.s DMPlex layout of "mesh"' "$work/good.txt"; echo $?) "good file: writers and restart on another rank count (/topologies) stated"
verdict $(grep -q '^  a TS was captured: time 0.02, step 2$' "$work/good.txt"; echo $?) "good file: the TS clock"
unexplained=$(awk '/^attributes of the file/{on=1; next} /^DMs/{on=0} on && NF<4' "$work/good.txt" | wc -l)
nattr=$(awk '/^attributes of the file/{on=1; next} /^DMs/{on=0} on' "$work/good.txt" | wc -l)
verdict $([ "$nattr" -ge 12 ] && [ "$unexplained" = 0 ]; echo $?) "every one of the $nattr root attributes printed with its meaning"
verdict $(grep -qE '^  captures = 1 +the writing snapshot.s PetscSnapshotCapture\(\) calls' "$work/good.txt" && grep -qE '^    captures = 1 +captures of this DM in this file' "$work/good.txt"; echo $?) "root captures and per-DM captures each say what they count"
verdict $(grep -qE '^  topologies_checksum = [0-9a-f]{16} ' "$work/good.txt"; echo $?) "the /topologies checksum in hexadecimal (not a saturated signed number)"
"$tool" --verify --json "$good" > "$work/good.json" 2>&1
verdict $(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=d['verify']; assert d['writers']==3 and d['restarts_on_other_rank_counts'] and d['topologies']==['mesh'] and d['ts']['step']==2 and v['intact'] and v['checks_ok']==22 and not v['problems'] and {e['name'] for e in d['entries']}=={'mesh','particles'}" "$work/good.json"; echo $?) "--json: parses; writers, topologies, TS, entries and verdict agree with the text"

for f in flip1 flip2 swap ptype lastrank; do
  "$tool" --verify "$dir/hdf5_faults/corrupt/$f.h5" > "$work/$f.txt" 2>&1; rc=$?
  verdict $([ $rc = 1 ] && grep -q 'checksum mismatch in the rows of writer rank' "$work/$f.txt" && grep -q 'BAD  the library refuses the file as a restore would' "$work/$f.txt" && grep -q 'THE FILE IS DAMAGED' "$work/$f.txt"; echo $?) "damaged dataset ($f.h5): exit 1, the writer rank named, the library refuses it too"
done
"$tool" --verify "$dir/hdf5_faults/corrupt/lastrank.h5" > "$work/last.txt" 2>&1
verdict $(grep -q 'rows of writer rank 1$' "$work/last.txt"; echo $?) "a flip in the last writer rank's rows names writer rank 1"
"$tool" --verify --json "$dir/hdf5_faults/corrupt/lastrank.h5" > "$work/last.json" 2>&1; rc=$?
verdict $([ $rc = 1 ] && python3 -c "import json,sys; v=json.load(open(sys.argv[1]))['verify']; assert not v['intact'] and v['checks_bad']==2 and 'writer rank 1' in v['problems'][0]" "$work/last.json"; echo $?) "--json of a damaged file: exit 1, intact false, the problems listed"
"$tool" --verify "$dir/hdf5_topologies/topo-bad.h5" > "$work/topo.txt" 2>&1; rc=$?
verdict $([ $rc = 1 ] && grep -q 'BAD  /topologies: checksum mismatch' "$work/topo.txt" && grep -q 'library refuses.*topologies' "$work/topo.txt"; echo $?) "damaged /topologies: exit 1, here and through the library"
# a bit flipped in a dataset's object header, not sealed again (test_hdf5_faults -mode corrupt): the library refuses
# it before HDF5 parses it, as a restore does, and the tool says so without parsing it
"$tool" --verify "$dir/hdf5_faults/corrupt/header.h5" > "$work/header.txt" 2>&1; rc=$?
verdict $([ $rc = 1 ] && grep -q '^petscsnapshot-info: PetscSnapshotHDF5GetFileInfo: .*header.h5: whole-file checksum mismatch (its seal)' "$work/header.txt"; echo $?) "a flipped bit in an object header: refused by the whole-file checksum, exit 1"
for f in moved schema1; do
  "$tool" --verify "$dir/hdf5_faults/corrupt/$f.h5" > "$work/$f.txt" 2>&1; rc=$?
  verdict $([ $rc = 1 ] && grep -q '^petscsnapshot-info: PetscSnapshotHDF5GetFileInfo: ' "$work/$f.txt"; echo $?) "$f.h5 (truncated or another schema): refused by the library, exit 1"
done
"$tool" "$dir/view/view.h5" > "$work/foreign.txt" 2>&1; rc=$? # an HDF5 file PETSc's viewer wrote
verdict $([ $rc = 1 ] && grep -q 'is not a petsc-snapshot file' "$work/foreign.txt"; echo $?) "a foreign HDF5 file: not a petsc-snapshot file, exit 1"
"$tool" "$0" > "$work/text.txt" 2>&1; rc=$?
verdict $([ $rc = 1 ] && grep -q 'is not a readable HDF5 file' "$work/text.txt"; echo $?) "a file that is not HDF5: exit 1"
"$tool" > /dev/null 2>&1; rc=$?
verdict $([ $rc = 2 ]; echo $?) "no file: usage, exit 2"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
