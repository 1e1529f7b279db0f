[assembly: System.Runtime.Versioning.SupportedOSPlatform("windows10.0.17763.0")]
