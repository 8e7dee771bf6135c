// Enum labels used before /api/v1/meta/enums has been fetched (first start with no signal). The
// server's labels replace these as soon as they arrive. Words from docs/glossary.md.
/** @type {Record<string, Array<{code: string, vi: string, en: string}>>} */
export default {
  basis: [
    { code: 'party_request', vi: 'Một bên hoặc các bên yêu cầu hòa giải', en: 'Requested by a party' },
    { code: 'mediator_initiative', vi: 'Hòa giải viên chứng kiến hoặc biết vụ việc', en: 'Witnessed or learned of by a mediator' },
    { code: 'leader_assignment', vi: 'Theo phân công của tổ trưởng tổ hòa giải', en: 'Assigned by the team leader' },
    { code: 'referral', vi: 'Theo đề nghị của cơ quan, tổ chức, cá nhân liên quan', en: 'Referred by an agency, organisation or person' },
  ],
  category: [
    { code: 'family_marriage', vi: 'Hôn nhân và gia đình', en: 'Marriage and family' },
    { code: 'land', vi: 'Đất đai', en: 'Land' },
    { code: 'civil_property', vi: 'Dân sự (tài sản, hợp đồng, thừa kế, nghĩa vụ)', en: 'Civil (property, contracts, inheritance, obligations)' },
    { code: 'neighbourhood', vi: 'Mâu thuẫn trong sinh hoạt, láng giềng', en: 'Everyday and neighbour conflicts' },
    { code: 'minor_violation', vi: 'Vi phạm pháp luật nhẹ chưa đến mức xử lý', en: 'Minor violations not subject to sanctions' },
    { code: 'other', vi: 'Khác', en: 'Other' },
  ],
  case_status: [
    { code: 'received', vi: 'Mới tiếp nhận', en: 'Received' },
    { code: 'in_progress', vi: 'Đang hòa giải', en: 'In progress' },
    { code: 'successful', vi: 'Hòa giải thành', en: 'Successful' },
    { code: 'unsuccessful', vi: 'Hòa giải không thành', en: 'Unsuccessful' },
    { code: 'out_of_scope', vi: 'Không thuộc phạm vi hòa giải', en: 'Out of scope' },
  ],
  end_reason: [
    { code: 'agreement', vi: 'Các bên đạt được thỏa thuận', en: 'The parties reached agreement' },
    { code: 'party_withdrew', vi: 'Một bên hoặc các bên yêu cầu chấm dứt hòa giải', en: 'A party asked to stop' },
    { code: 'mediator_ended', vi: 'Hòa giải viên quyết định kết thúc do các bên không thể đạt được thỏa thuận', en: 'The mediator ended it: no agreement possible' },
  ],
  party_kind: [
    { code: 'person', vi: 'Cá nhân', en: 'Person' },
    { code: 'group', vi: 'Nhóm người', en: 'Group' },
    { code: 'family', vi: 'Hộ gia đình / gia đình', en: 'Household / family' },
    { code: 'organisation', vi: 'Tổ chức', en: 'Organisation' },
  ],
  party_role: [
    { code: 'party', vi: 'Bên tranh chấp', en: 'Party' },
    { code: 'related_person', vi: 'Người có quyền lợi, nghĩa vụ liên quan', en: 'Person with related rights and obligations' },
  ],
  chosen_by: [
    { code: 'parties', vi: 'Các bên lựa chọn', en: 'Chosen by the parties' },
    { code: 'leader', vi: 'Tổ trưởng phân công', en: 'Assigned by the leader' },
  ],
  implementation: [
    { code: 'implemented', vi: 'Đã thực hiện', en: 'Implemented' },
    { code: 'partially_implemented', vi: 'Thực hiện một phần', en: 'Partially implemented' },
    { code: 'not_implemented', vi: 'Chưa thực hiện', en: 'Not implemented' },
  ],
  escalation_kind: [
    { code: 'violence_risk', vi: 'Có nguy cơ bạo lực', en: 'Risk of violence' },
    { code: 'offence_signs', vi: 'Có dấu hiệu vi phạm pháp luật (hành chính, hình sự)', en: 'Signs of an offence' },
  ],
  legal_training: [
    { code: 'none', vi: 'Chưa qua đào tạo pháp luật', en: 'No legal training' },
    { code: 'basic', vi: 'Đã được bồi dưỡng kiến thức pháp luật', en: 'Basic legal training' },
    { code: 'degree', vi: 'Có trình độ chuyên môn luật', en: 'Law degree' },
  ],
  sex: [
    { code: 'female', vi: 'Nữ', en: 'Female' },
    { code: 'male', vi: 'Nam', en: 'Male' },
  ],
  signature: [
    { code: 'signed', vi: 'Ký', en: 'Signed' },
    { code: 'fingerprinted', vi: 'Điểm chỉ', en: 'Fingerprinted' },
  ],
  deadline_exception: [
    { code: 'immediate', vi: 'Phải hòa giải ngay khi chứng kiến', en: 'Had to be mediated at once' },
    { code: 'parties_agreed_time', vi: 'Các bên thống nhất thời gian khác', en: 'The parties agreed another time' },
  ],
  assignment_end: [
    { code: 'recusal', vi: 'Từ chối vì có quyền lợi liên quan / không khách quan', en: 'Recusal' },
    { code: 'reassigned', vi: 'Phân công lại', en: 'Reassigned' },
  ],
};
