/// The start of the message for files that exist and that dockadvise did not write (`fix --write`,
/// `emit-init`): "'a', 'b' exist and were not written by dockadvise".
func overwriteRefusal(_ paths: [String]) -> String {
  let list = paths.map { "'\($0)'" }.joined(separator: ", ")
  return "\(list) \(paths.count == 1 ? "exists" : "exist") and \(paths.count == 1 ? "was" : "were") not written by dockadvise"
}
