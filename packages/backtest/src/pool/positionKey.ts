/**
 * Map key of a position: owner (any string id; lower-cased when it is an address) and the two ticks. The contract uses
 * keccak256(abi.encodePacked(owner, tickLower, tickUpper)); a string key is the same identity without hashing.
 */
export function positionKey(owner: string, tickLower: number, tickUpper: number): string {
  return `${owner.toLowerCase()}:${tickLower}:${tickUpper}`
}
