/** What one host cost on the wire: remote commands, file transfers, bytes each way (--profile). */
export interface HostTraffic {
  commands: number;
  transfers: number;
  bytesSent: number;
  bytesReceived: number;
}
