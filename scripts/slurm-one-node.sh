#!/usr/bin/env bash
# A one-node Slurm cluster on this machine (Debian's slurm-wlm + munge), for trying
# examples/cluster/slurm-array.sh and for test/cluster/slurm-array.test.ts. Run as root:
#   scripts/slurm-one-node.sh          # install if needed, write slurm.conf, start the daemons
#   scripts/slurm-one-node.sh stop     # stop the daemons it started
# The node is this host, with its CPUs and memory; one partition `debug`, the default.
set -euo pipefail

state=/var/lib/charter-slurm
conf=/etc/slurm/slurm.conf

stop() {
  for daemon in slurmd slurmctld munged; do
    if [ -f "$state/$daemon.pid" ]; then
      kill "$(cat "$state/$daemon.pid")" 2>/dev/null || true
      rm -f "$state/$daemon.pid"
    fi
  done
}

if [ "${1:-}" = "stop" ]; then
  stop
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "slurm-one-node.sh: run as root (it installs packages and starts daemons)" >&2
  exit 2
fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge
fi

mkdir -p "$state/spool/ctld" "$state/spool/d" /etc/slurm /run/munge /var/log/slurm
host=$(hostname -s)
cpus=$(nproc)
# Leave the machine some memory: Slurm refuses a node that reports less than configured.
memory=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)

cat > "$conf" <<CONF
ClusterName=charter
SlurmctldHost=$host
AuthType=auth/munge
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$state/spool/ctld
SlurmdSpoolDir=$state/spool/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
MaxArraySize=1001
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

# munge needs a key readable only by its user; Debian's package creates one.
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0700 /etc/munge
chmod 0400 /etc/munge/munge.key

stop
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- munged --pid-file=/run/munge/munged.pid
  cp /run/munge/munged.pid "$state/munged.pid"
fi
slurmctld
slurmd

# Wait until the node is idle (slurmd registered), at most ~30 s.
for _ in $(seq 1 30); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then
    echo "slurm-one-node.sh: node $host is up (partition debug, $cpus CPUs)"
    exit 0
  fi
  sleep 1
done
echo "slurm-one-node.sh: the node did not come up; see /var/log/slurm/*.log and sinfo -R" >&2
sinfo -R >&2 || true
exit 1
