/**
 * Swarming downloads over NetGroup object replication: {@link io.rtmfp4j.flash.swarm.Swarm} shares
 * a file among the members of a group, each fetching chunks from every member that has them and
 * serving what it has; {@link io.rtmfp4j.flash.swarm.SwarmManifest} is what the swarm ID names,
 * and {@link io.rtmfp4j.flash.swarm.SwarmFile} keeps a file on disk, resumable. See docs/groups.md.
 */
package io.rtmfp4j.flash.swarm;
