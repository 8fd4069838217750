import InfraGuardian
@main struct Placeholder { static func main() {} }
