namespace DeviceAgent.EndToEnd.Tests;
