#!/usr/bin/env python3
"""Generates the Policy CSP DDF of a Windows 10 Mobile profile (agent/DeviceAgent/Ddf/generated/, see its README).

Input: Microsoft's PolicyDDF_all.xml of one release (the 1703 or 1709 DDF download) and the folder of the Feb 2025
DDF v2 Policy area files (*_AreaDDF.xml). Output: one DDF 1.2 file with the release's Config and Result trees, device
and user scope, keeping per policy only what the device checks (AccessType, DFFormat, Occurrence, Scope,
DefaultValue) and adding the v2 file's MSFT:AllowedValues and DefaultValue for the same policy where the release file
has none (without value descriptions). Left out: ConfigOperations (ADMX ingestion, desktop only), every policy the v2 files mark MSFT:AdmxBacked
(Group Policy ADMX templates, which Windows 10 Mobile does not carry) and areas left empty. Descriptions are dropped.

Usage: generate-policy-ddf.py RELEASE POLICY_DDF_ALL V2_AREA_FOLDER OUTPUT
Prints the sha256 of the inputs and of the output for agent/DeviceAgent/Ddf/README.md.
"""

import hashlib
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

MSFT = "http://schemas.microsoft.com/MobileDevice/DM"
ET.register_namespace("MSFT", MSFT)


def load(path):
    text = pathlib.Path(path).read_text(encoding="utf-8-sig")
    text = re.sub(r"<!DOCTYPE.*?\]>", "", text, flags=re.S)
    return ET.fromstring(text)


def v2_policies(folder):
    """(scope, area, policy) -> DFProperties of the v2 Config node."""
    found = {}
    for file in sorted(pathlib.Path(folder).glob("*_AreaDDF.xml")):
        root = load(file)
        for top in root.findall("Node"):
            scope = "User" if top.findtext("Path", "").startswith("./User") else "Device"
            area = top.findtext("NodeName")
            for policy in top.findall("Node"):
                found[(scope, area, policy.findtext("NodeName"))] = policy.find("DFProperties")
    return found


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def element(tag, *children, text=None):
    e = ET.Element(tag)
    e.text = text
    e.extend(children)
    return e


def properties(source, v2, get_only):
    """The DFProperties the device checks, from the release file, completed by the v2 file."""
    access = element("AccessType", ET.Element("Get")) if get_only else element(
        "AccessType", *[ET.Element(a.tag) for a in source.find("AccessType")])
    props = element("DFProperties", access)
    default = source.findtext("DefaultValue")
    if default is None and v2 is not None and not get_only:
        default = v2.findtext("DefaultValue")
    if default is not None and not get_only:
        props.append(element("DefaultValue", text=default))
    props.append(element("DFFormat", *[ET.Element(f.tag) for f in source.find("DFFormat")]))
    props.append(element("Occurrence", *[ET.Element(o.tag) for o in source.find("Occurrence")]))
    props.append(element("Scope", *[ET.Element(s.tag) for s in source.find("Scope")]))
    allowed = v2.find(f"{{{MSFT}}}AllowedValues") if v2 is not None else None
    v2_format = [f.tag for f in v2.find("DFFormat")] if v2 is not None else []
    if allowed is not None and not get_only and v2_format == [f.tag for f in source.find("DFFormat")]:
        # The device checks values, not their descriptions: MSFT:ValueDescription is dropped to keep the load fast.
        for enum in allowed.findall(f"{{{MSFT}}}Enum"):
            for description in enum.findall(f"{{{MSFT}}}ValueDescription"):
                enum.remove(description)
        props.append(allowed)
    return props


def main(release, policy_all, v2_folder, output):
    v2 = v2_policies(v2_folder)
    root = load(policy_all)
    tree = element("MgmtTree", element("VerDTD", text="1.2"))
    kept = 0
    for top in root.findall("Node"):
        path = top.findtext("Path")
        scope = "User" if path.startswith("./User") else "Device"
        policy_root = element("Node", element("NodeName", text="Policy"), element("Path", text=path),
                              properties(top.find("DFProperties"), None, False))
        for section in top.findall("Node"):
            name = section.findtext("NodeName")
            if name not in ("Config", "Result"):
                continue  # ConfigOperations: ADMX ingestion, desktop only
            section_node = element("Node", element("NodeName", text=name), properties(section.find("DFProperties"), None, False))
            for area in section.findall("Node"):
                area_name = area.findtext("NodeName")
                area_node = element("Node", element("NodeName", text=area_name),
                                    properties(area.find("DFProperties"), None, False))
                for policy in area.findall("Node"):
                    policy_name = policy.findtext("NodeName")
                    v2_props = v2.get((scope, area_name, policy_name))
                    if v2_props is not None and any(e.tag == f"{{{MSFT}}}AdmxBacked" for e in v2_props.iter()):
                        continue
                    area_node.append(element("Node", element("NodeName", text=policy_name),
                                             properties(policy.find("DFProperties"), v2_props, name == "Result")))
                    kept += name == "Config"
                if len(area_node.findall("Node")) > 0:
                    section_node.append(area_node)
            policy_root.append(section_node)
        tree.append(policy_root)
    # No indentation: the file is read by the device at run time, and its size is its load time.
    ET.indent(tree, space="")
    text = '<?xml version="1.0" encoding="utf-8"?>\n<!-- Generated by scripts/generate-policy-ddf.py from Microsoft\'s ' \
        + f'{release} PolicyDDF_all.xml and the Feb 2025 DDF v2 Policy area files; see Ddf/generated/README.md. -->\n' \
        + ET.tostring(tree, encoding="unicode") + "\n"
    pathlib.Path(output).write_text(text, encoding="utf-8", newline="\n")
    print(f"{policy_all}: sha256 {sha256(policy_all)}")
    print(f"{output}: {kept} Config policies, sha256 {sha256(output)}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
