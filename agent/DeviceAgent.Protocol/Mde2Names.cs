using System.Xml.Linq;

namespace DeviceAgent.Protocol;

/// <summary>XML namespaces, SOAP actions and token types of MS-MDE2, MS-XCEP and MS-WSTEP (docs/reference/enrollment.md), shared by the
/// device's enrollment client and the mock server.</summary>
public static class Mde2Names
{
    public static readonly XNamespace Soap12 = "http://www.w3.org/2003/05/soap-envelope";
    public static readonly XNamespace Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Addressing = "http://www.w3.org/2005/08/addressing";
    public static readonly XNamespace Discovery = "http://schemas.microsoft.com/windows/management/2012/01/enrollment";
    public static readonly XNamespace Policy = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy";
    public static readonly XNamespace Enrollment = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment";
    public static readonly XNamespace Trust = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
    public static readonly XNamespace Security = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public static readonly XNamespace Authorization = "http://schemas.xmlsoap.org/ws/2006/12/authorization";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public const string DiscoverAction = "http://schemas.microsoft.com/windows/management/2012/01/enrollment/IDiscoveryService/Discover";
    public const string DiscoverResponseAction = "http://schemas.microsoft.com/windows/management/2012/01/enrollment/IDiscoveryService/DiscoverResponse";
    public const string GetPoliciesAction = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/IPolicy/GetPolicies";
    public const string GetPoliciesResponseAction = "http://schemas.microsoft.com/windows/pki/2009/01/enrollmentpolicy/IPolicy/GetPoliciesResponse";
    public const string RequestSecurityTokenAction = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment/RST/wstep";
    public const string RequestSecurityTokenResponseAction = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment/RSTRC/wstep";
    public const string DeviceEnrollmentToken = "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentToken";
    public const string DeviceEnrollmentUserToken = "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentUserToken";
    public const string DeviceEnrollmentProvisionDoc = "http://schemas.microsoft.com/5.0.0.0/ConfigurationManager/Enrollment/DeviceEnrollmentProvisionDoc";
    public const string Pkcs10 = "http://schemas.microsoft.com/windows/pki/2009/01/enrollment#PKCS10";
    public const string IssueRequestType = "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue";
    public const string Base64Binary = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd#base64binary";
}
